package org.bert4j.convert.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The main graph of an ONNX model: nodes in topological order, the initializers by name, and the graph's
 * input and output names. Constant nodes' values are indexed alongside the initializers, since exporters
 * store weights in either.
 */
public record OnnxGraph(String name, List<OnnxNode> nodes, Map<String, OnnxTensor> initializers,
                        Map<String, OnnxTensor> constants, List<String> inputs, List<String> outputs) {

    /** The node that writes value {@code valueName}, or null (graph inputs and initializers have none). */
    public OnnxNode producer(String valueName) {
        for (OnnxNode n : nodes) {
            if (n.outputs().contains(valueName)) {
                return n;
            }
        }
        return null;
    }

    /** Every node that reads value {@code valueName}, in graph order. */
    public List<OnnxNode> consumers(String valueName) {
        List<OnnxNode> out = new ArrayList<>();
        for (OnnxNode n : nodes) {
            if (n.inputs().contains(valueName)) {
                out.add(n);
            }
        }
        return out;
    }

    /** The constant tensor behind value {@code valueName} (initializer or Constant node output), or null. */
    public OnnxTensor constant(String valueName) {
        OnnxTensor t = initializers.get(valueName);
        return t != null ? t : constants.get(valueName);
    }

    /** Consumers of every value, computed once, for passes that walk the whole graph. */
    public Map<String, List<OnnxNode>> consumerIndex() {
        Map<String, List<OnnxNode>> index = new HashMap<>();
        for (OnnxNode n : nodes) {
            for (String in : n.inputs()) {
                index.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
        return index;
    }
}
