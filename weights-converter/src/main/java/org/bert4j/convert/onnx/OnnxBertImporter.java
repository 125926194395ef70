package org.bert4j.convert.onnx;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.bert4j.convert.ConversionException;
import org.bert4j.safetensors.DType;
import org.bert4j.safetensors.Tensor;

/**
 * Recovers a BERT encoder's weights, under Hugging Face names, from an ONNX export (torch.onnx / optimum, and
 * onnxruntime's dynamic int8 quantization of it).
 *
 * <p>torch.onnx keeps a parameter's name when it is used as is ({@code encoder.layer.0.attention.self.query.bias})
 * but exports each {@code nn.Linear} as {@code MatMul(x, Wᵀ)} with the transposed weight as a fresh initializer
 * {@code onnx::MatMul_N}. The MatMul node keeps the module path in its name
 * ({@code /encoder/layer.0/attention/self/query/MatMul}), which gives back the HF name; the bias added to the
 * product confirms it. The weight is transposed back to PyTorch's [out, in].
 */
public final class OnnxBertImporter {

    private static final Pattern MODULE_PATH = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*$");
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** A weight recovered from the graph, with the reason it has its name (for messages). */
    public record Weight(String hfName, Tensor tensor, String origin) {}

    /** Hyper-parameters that only the graph (not the weights' shapes) can tell. */
    public record GraphFacts(int numAttentionHeads, String hiddenAct, float layerNormEps) {}

    private final OnnxModel model;
    private final OnnxGraph graph;
    private final Map<String, List<OnnxNode>> consumers;
    private final Map<String, OnnxNode> producers = new HashMap<>();
    private final Map<String, Weight> weights = new TreeMap<>();
    private final Set<String> used = new HashSet<>();

    private OnnxBertImporter(OnnxModel model) {
        this.model = model;
        this.graph = model.graph();
        this.consumers = graph.consumerIndex();
        for (OnnxNode n : graph.nodes()) {
            for (String out : n.outputs()) {
                producers.put(out, n);
            }
        }
    }

    /** Every weight of the encoder under its HF name, sorted by name. Tensors may point into the model's memory. */
    public static List<Weight> weights(OnnxModel model) throws ConversionException {
        OnnxBertImporter importer = new OnnxBertImporter(model);
        importer.collect();
        return List.copyOf(importer.weights.values());
    }

    /**
     * Heads, activation and LayerNorm epsilon as the graph computes them. {@code headsOverride} (0 = none)
     * is used when the graph does not show the head count, and must agree with it when it does.
     */
    public static GraphFacts facts(OnnxModel model, int hiddenSize, int headsOverride) throws ConversionException {
        OnnxBertImporter importer = new OnnxBertImporter(model);
        return new GraphFacts(importer.heads(hiddenSize, headsOverride), importer.activation(), importer.layerNormEps());
    }

    private void collect() throws ConversionException {
        for (OnnxNode node : graph.nodes()) {
            switch (node.opType()) {
                case "MatMul", "Gemm", "MatMulInteger" -> linear(node);
                case "DequantizeLinear" -> quantizedLookupTable(node);
                default -> { }
            }
        }
        List<OnnxTensor> named = new ArrayList<>(graph.initializers().values());
        for (Map.Entry<String, OnnxTensor> c : graph.constants().entrySet()) {
            if (hfParameterName(c.getKey()) != null) {
                // A parameter folded into a Constant node: its name is the node's output.
                OnnxTensor t = c.getValue();
                named.add(new OnnxTensor(c.getKey(), t.dataType(), t.dims(), t.data()));
            }
        }
        for (OnnxTensor t : named) {
            if (used.contains(t.name())) {
                continue;
            }
            String hf = hfParameterName(t.name());
            if (hf != null && hf.equals("embeddings.position_ids")) {
                requireArange(t);
                used.add(t.name()); // a buffer (0..n-1), not a parameter: recent transformers do not save it either
                continue;
            }
            if (hf != null && isFloat(t.dataType())) {
                add(hf, copy(hf, t), "initializer '" + t.name() + "'");
                used.add(t.name());
            }
        }
        List<String> unknown = new ArrayList<>();
        for (OnnxTensor t : graph.initializers().values()) {
            if (!used.contains(t.name()) && !isComputeConstant(t)) {
                unknown.add(t.toString());
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConversionException(model.source() + ": cannot tell which BERT parameter these initializers are: "
                    + unknown + " (the graph does not look like a BERT export this converter understands)");
        }
        // Constant-node tensors that hold position ids (some exporters inline them) must be plain 0..n-1 too.
        for (Map.Entry<String, OnnxTensor> c : graph.constants().entrySet()) {
            OnnxTensor t = c.getValue();
            if (t.dataType() == OnnxDataType.INT64 && t.rank() == 2 && t.dims()[0] == 1 && t.dims()[1] > 8) {
                for (OnnxNode consumer : consumers.getOrDefault(c.getKey(), List.of())) {
                    if (consumer.name().contains("embeddings")) {
                        requireArange(t);
                    }
                }
            }
        }
    }

    /** A Linear layer: MatMul(x, W[in,out]), Gemm(x, W, b) or the int8 MatMulInteger of a quantized export. */
    private void linear(OnnxNode node) throws ConversionException {
        String b = node.input(1);
        OnnxTensor w = graph.constant(b);
        boolean alreadyOutIn = false;
        if (w == null) {
            // Some exporters keep W as [out,in] and transpose it in the graph.
            OnnxNode transpose = producers.get(b);
            if (transpose != null && transpose.opType().equals("Transpose") && graph.constant(transpose.input(0)) != null
                    && isSwap(transpose)) {
                w = graph.constant(transpose.input(0));
                alreadyOutIn = true;
            } else {
                return; // activation × activation (attention scores): not a weight
            }
        }
        if (w.rank() != 2) {
            return;
        }
        if (node.opType().equals("Gemm")) {
            OnnxAttribute transB = node.attribute("transB");
            alreadyOutIn = transB != null && transB.i() == 1;
        }
        String fromNode = moduleFromNodeName(node.name());
        String fromBias = moduleFromBias(node);
        String module = fromNode != null ? fromNode : fromBias;
        if (fromNode != null && fromBias != null && !fromNode.equals(fromBias)) {
            throw new ConversionException(model.source() + ": MatMul node '" + node.name() + "' says its weight is " + fromNode
                    + ".weight but the bias added to its output is " + fromBias + ".bias");
        }
        if (module == null) {
            throw new ConversionException(model.source() + ": cannot name the weight '" + w.name() + "' of node '" + node.name()
                    + "': neither the node name nor an added bias gives its Hugging Face module");
        }
        String hf = module + ".weight";
        Tensor tensor;
        if (node.opType().equals("MatMulInteger")) {
            tensor = Dequantizer.linearWeight(model.source(), hf, node, w, scaleOfMatMulInteger(node, hf), graph.constant(node.input(3)));
            markUsed(node.input(3));
        } else {
            tensor = alreadyOutIn ? copy(hf, w) : transpose(hf, w);
        }
        add(hf, tensor, "node '" + node.name() + "' (" + node.opType() + " weight '" + w.name() + "'"
                + (alreadyOutIn ? "" : ", transposed") + ")");
        used.add(w.name());
        if (node.opType().equals("Gemm") && !node.input(2).isEmpty() && graph.constant(node.input(2)) != null) {
            OnnxTensor bias = graph.constant(node.input(2));
            add(module + ".bias", copy(module + ".bias", bias), "node '" + node.name() + "' (Gemm bias)");
            used.add(bias.name());
        }
    }

    /**
     * onnxruntime's dynamic quantization rewrites {@code x·W} as {@code MatMulInteger(q(x), Wq, zx, zw)}, cast to
     * float, times {@code sx·sw}; the weight's own scale {@code sw} is the constant factor of that product.
     */
    private OnnxTensor scaleOfMatMulInteger(OnnxNode node, String hf) throws ConversionException {
        String value = node.output(0);
        OnnxNode next = value.isEmpty() ? null : single(consumers.get(value));
        if (next != null && next.opType().equals("Cast")) {
            value = next.output(0);
            next = single(consumers.get(value));
        }
        if (next != null && next.opType().equals("Mul")) {
            String other = next.input(0).equals(value) ? next.input(1) : next.input(0);
            OnnxTensor direct = graph.constant(other);
            OnnxNode product = producers.get(other);
            if (direct == null && product != null && product.opType().equals("Mul")) {
                OnnxTensor s0 = graph.constant(product.input(0));
                OnnxTensor s1 = graph.constant(product.input(1));
                if ((s0 == null) != (s1 == null)) {
                    OnnxTensor scale = s0 != null ? s0 : s1;
                    markUsed(scale.name());
                    return scale;
                }
            }
        }
        throw new ConversionException(model.source() + ": cannot find the weight scale of quantized MatMul '" + node.name()
                + "' (" + hf + "): expected MatMulInteger → Cast → Mul(·, activation_scale × weight_scale)");
    }

    /** A quantized embedding table: DequantizeLinear(Gather(Wq, ids), scale, zero_point). */
    private void quantizedLookupTable(OnnxNode dequantize) throws ConversionException {
        OnnxNode gather = producers.get(dequantize.input(0));
        OnnxTensor table = gather != null && gather.opType().equals("Gather") ? graph.constant(gather.input(0)) : null;
        if (table == null) {
            OnnxTensor direct = graph.constant(dequantize.input(0));
            if (direct == null) {
                return;
            }
            table = direct;
        }
        String base = table.name().endsWith("_quantized") ? table.name().substring(0, table.name().length() - "_quantized".length()) : table.name();
        String hf = hfParameterName(base);
        if (hf == null) {
            throw new ConversionException(model.source() + ": cannot name the quantized tensor '" + table.name() + "'");
        }
        OnnxTensor scale = graph.constant(dequantize.input(1));
        OnnxTensor zero = dequantize.input(2).isEmpty() ? null : graph.constant(dequantize.input(2));
        OnnxAttribute axis = dequantize.attribute("axis");
        add(hf, Dequantizer.table(model.source(), hf, table, scale, zero, axis == null ? 1 : axis.i()),
                "DequantizeLinear '" + dequantize.name() + "' of '" + table.name() + "'");
        used.add(table.name());
        markUsed(dequantize.input(1));
        markUsed(dequantize.input(2));
    }

    private void markUsed(String name) {
        if (name != null && !name.isEmpty()) {
            used.add(name);
        }
    }

    private void add(String hf, Tensor tensor, String origin) throws ConversionException {
        Weight previous = weights.put(hf, new Weight(hf, tensor, origin));
        if (previous != null) {
            throw new ConversionException(model.source() + ": two tensors claim the name " + hf + ": " + previous.origin()
                    + " and " + origin);
        }
    }

    /** "/encoder/layer.0/attention/self/query/MatMul" → "encoder.layer.0.attention.self.query". */
    static String moduleFromNodeName(String nodeName) {
        if (nodeName == null || !nodeName.startsWith("/")) {
            return null;
        }
        String path = nodeName.substring(1);
        int slash = path.lastIndexOf('/');
        if (slash < 0) {
            return null;
        }
        String op = path.substring(slash + 1);
        if (!(op.equals("MatMul") || op.equals("MatMul_quant") || op.equals("Gemm"))) {
            return null;
        }
        String module = stripModelPrefix(path.substring(0, slash).replace('/', '.'));
        return MODULE_PATH.matcher(module).matches() ? module : null;
    }

    /** The module whose ".bias" initializer is added to this linear's output (directly or after the dequant Mul). */
    private String moduleFromBias(OnnxNode node) {
        String value = node.output(0);
        for (int hop = 0; hop < 3; hop++) {
            // A node without outputs (only a malformed graph has one) feeds nothing (found by OnnxFuzzTest).
            OnnxNode next = value.isEmpty() ? null : single(consumers.get(value));
            if (next == null) {
                return null;
            }
            if (next.opType().equals("Add")) {
                for (String in : next.inputs()) {
                    OnnxTensor c = graph.constant(in);
                    String hf = c == null ? null : hfParameterName(c.name());
                    if (hf != null && hf.endsWith(".bias")) {
                        return hf.substring(0, hf.length() - ".bias".length());
                    }
                }
                return null;
            }
            if (!(next.opType().equals("Cast") || next.opType().equals("Mul"))) {
                return null;
            }
            value = next.output(0);
        }
        return null;
    }

    /** The HF name of a parameter-like initializer name (optionally under a "bert." prefix), or null. */
    static String hfParameterName(String name) {
        String n = stripModelPrefix(name);
        if ((n.startsWith("embeddings.") || n.startsWith("encoder.") || n.startsWith("pooler."))
                && MODULE_PATH.matcher(n).matches()) {
            return n;
        }
        return null;
    }

    private static String stripModelPrefix(String name) {
        return name.startsWith("bert.") ? name.substring("bert.".length()) : name;
    }

    private static OnnxNode single(List<OnnxNode> nodes) {
        return nodes != null && nodes.size() == 1 ? nodes.getFirst() : null;
    }

    private static boolean isSwap(OnnxNode transpose) {
        OnnxAttribute perm = transpose.attribute("perm");
        return perm == null || (perm.ints().length == 2 && perm.ints()[0] == 1 && perm.ints()[1] == 0);
    }

    private static boolean isFloat(OnnxDataType t) {
        return t == OnnxDataType.FLOAT || t == OnnxDataType.FLOAT16 || t == OnnxDataType.BFLOAT16 || t == OnnxDataType.DOUBLE;
    }

    /**
     * Small integer tensors (shapes, axes, indices) and float scalars (epsilon, √d, masks' fill value) are part of
     * the computation, not parameters.
     */
    private static boolean isComputeConstant(OnnxTensor t) {
        return (t.dataType() == OnnxDataType.INT64 || t.dataType() == OnnxDataType.INT32) && t.elementCount() <= 16
                || t.elementCount() <= 1;
    }

    private void requireArange(OnnxTensor t) throws ConversionException {
        long[] ids = t.longs();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] != i) {
                throw new ConversionException(model.source() + ": position ids '" + t.name() + "' are not 0, 1, 2, ... (entry "
                        + i + " is " + ids[i] + "); such a model is not a standard BERT");
            }
        }
    }

    static DType dtypeOf(String source, OnnxTensor t) throws ConversionException {
        return switch (t.dataType()) {
            case FLOAT -> DType.F32;
            case FLOAT16 -> DType.F16;
            case BFLOAT16 -> DType.BF16;
            case DOUBLE -> DType.F64;
            default -> throw new ConversionException(source + ": tensor '" + t.name() + "' is " + t.dataType()
                    + ", expected a floating-point parameter");
        };
    }

    /** The tensor's bytes as they are (no copy: the slice of the model's memory). */
    private Tensor copy(String hf, OnnxTensor t) throws ConversionException {
        return new Tensor(hf, dtypeOf(model.source(), t), t.dims(), t.data());
    }

    /** [in, out] → [out, in], element bits moved unchanged. */
    private Tensor transpose(String hf, OnnxTensor t) throws ConversionException {
        DType dtype = dtypeOf(model.source(), t);
        long[] d = t.dims();
        if (d.length != 2 || d[0] > Integer.MAX_VALUE || d[1] > Integer.MAX_VALUE || d[0] * d[1] > Integer.MAX_VALUE / 8) {
            throw new ConversionException(model.source() + ": the weight '" + t.name() + "' of " + hf + " has shape "
                    + java.util.Arrays.toString(d) + ", not a matrix [in, out] that fits in memory");
        }
        int rows = (int) d[0];
        int cols = (int) d[1];
        MemorySegment dst = MemorySegment.ofArray(new byte[Math.multiplyExact(Math.multiplyExact(rows, cols), dtype.byteSize())]);
        switch (dtype.byteSize()) {
            case 4 -> {
                int[] src = t.data().toArray(I32);
                int[] out = new int[src.length];
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        out[c * rows + r] = src[r * cols + c];
                    }
                }
                MemorySegment.copy(out, 0, dst, I32, 0, out.length);
            }
            case 2 -> {
                ValueLayout.OfShort i16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
                short[] src = t.data().toArray(i16);
                short[] out = new short[src.length];
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        out[c * rows + r] = src[r * cols + c];
                    }
                }
                MemorySegment.copy(out, 0, dst, i16, 0, out.length);
            }
            default -> {
                int size = dtype.byteSize();
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        MemorySegment.copy(t.data(), ((long) r * cols + c) * size, dst, ((long) c * rows + r) * size, size);
                    }
                }
            }
        }
        return new Tensor(hf, dtype, new long[] {cols, rows}, dst);
    }

    // ---- hyper-parameters the graph knows -------------------------------------------------------------

    /**
     * BERT's self-attention reshapes [batch, seq, hidden] to [batch, seq, heads, head_dim] before
     * transposing to heads-first; the shape's last two entries are constants in the export.
     */
    private int heads(int hidden, int override) throws ConversionException {
        Set<Long> found = new TreeSet<>();
        for (OnnxNode n : graph.nodes()) {
            if (!n.opType().equals("Reshape")) {
                continue;
            }
            Long[] shape = constantShape(n.input(1));
            if (shape == null || shape.length != 4 || shape[2] == null || shape[3] == null) {
                continue;
            }
            long h = shape[2];
            long d = shape[3];
            if (h > 0 && d > 0 && h * d == hidden) {
                found.add(h);
            }
        }
        if (found.size() > 1) {
            throw new ConversionException(model.source() + ": the attention Reshapes disagree on the number of heads: " + found);
        }
        if (found.isEmpty()) {
            if (override > 0) {
                return override;
            }
            throw new ConversionException(model.source() + ": the graph does not show the number of attention heads (no "
                    + "Reshape to [batch, seq, heads, head_dim] with constant heads); give it explicitly (--heads N)");
        }
        int heads = Math.toIntExact(found.iterator().next());
        if (override > 0 && override != heads) {
            throw new ConversionException(model.source() + ": --heads " + override + " contradicts the graph, whose attention "
                    + "Reshape splits " + hidden + " into " + heads + " heads of " + (hidden / heads));
        }
        return heads;
    }

    /** The entries of a shape value when known: a constant, or a Concat of (unsqueezed) constants and unknowns. */
    private Long[] constantShape(String value) {
        OnnxTensor c = graph.constant(value);
        if (c != null && (c.dataType() == OnnxDataType.INT64 || c.dataType() == OnnxDataType.INT32)) {
            long[] v = c.longs();
            Long[] out = new Long[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = v[i];
            }
            return out;
        }
        OnnxNode concat = producers.get(value);
        if (concat == null || !concat.opType().equals("Concat")) {
            return null;
        }
        List<Long> out = new ArrayList<>();
        for (String in : concat.inputs()) {
            OnnxTensor part = graph.constant(in);
            if (part != null && (part.dataType() == OnnxDataType.INT64 || part.dataType() == OnnxDataType.INT32)) {
                for (long v : part.longs()) {
                    out.add(v);
                }
            } else {
                out.add(null); // one dynamic entry (batch or sequence length), as torch.onnx emits them
            }
        }
        return out.toArray(new Long[0]);
    }

    /** gelu (erf), gelu_new (tanh approximation) or relu, from the operators of the feed-forward block. */
    private String activation() throws ConversionException {
        Map<String, Integer> ops = new LinkedHashMap<>();
        for (OnnxNode n : graph.nodes()) {
            ops.merge(n.opType(), 1, Integer::sum);
            if (n.opType().equals("Gelu")) {
                OnnxAttribute approx = n.attribute("approximate");
                return approx != null && "tanh".equals(approx.s()) ? "gelu_new" : "gelu";
            }
            if (n.opType().equals("FastGelu")) {
                return "gelu_new";
            }
        }
        if (ops.containsKey("Erf")) {
            return "gelu";
        }
        if (ops.containsKey("Tanh") && ops.containsKey("Pow")) {
            return "gelu_new";
        }
        if (ops.containsKey("Relu")) {
            return "relu";
        }
        throw new ConversionException(model.source() + ": cannot recognise the feed-forward activation (no Erf, Gelu, Tanh or Relu)");
    }

    /** LayerNormalization's epsilon, or the constant added to the variance before Sqrt in the decomposed form. */
    private float layerNormEps() throws ConversionException {
        Set<Float> found = new TreeSet<>();
        for (OnnxNode n : graph.nodes()) {
            if (n.opType().equals("LayerNormalization") || n.opType().equals("SkipLayerNormalization")) {
                OnnxAttribute eps = n.attribute("epsilon");
                found.add(eps == null ? 1e-5f : eps.f());
            } else if (n.opType().equals("Sqrt")) {
                OnnxNode add = producers.get(n.input(0));
                if (add != null && add.opType().equals("Add")) {
                    for (String in : add.inputs()) {
                        OnnxTensor c = graph.constant(in);
                        if (c != null && c.dataType() == OnnxDataType.FLOAT && c.elementCount() == 1) {
                            found.add(c.data().get(F32, 0));
                        }
                    }
                }
            }
        }
        if (found.size() != 1) {
            throw new ConversionException(model.source() + ": cannot read the LayerNorm epsilon from the graph (found "
                    + (found.isEmpty() ? "none" : found) + ")");
        }
        return found.iterator().next();
    }

}
