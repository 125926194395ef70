package org.bert4j.cli;

import org.bert4j.folder.SentenceTransformerConfig;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.Map;
import jdk.incubator.vector.FloatVector;
import org.bert4j.folder.BertConfig;
import org.bert4j.engine.BertModel;
import org.bert4j.engine.EngineOptions;
import org.bert4j.safetensors.DType;
import org.bert4j.safetensors.SafetensorsFile;
import org.bert4j.safetensors.TensorInfo;

/**
 * {@code bert4j info}: what a model folder holds (config, tensors, parameters, dtype) and how this machine will
 * run it (GEMM backend, SIMD width, threads). Loading the model validates every tensor against the config, so a
 * corrupt or mismatched folder fails here with one line naming the problem.
 */
final class InfoCommand implements Command {
    @Override
    public String name() {
        return "info";
    }

    @Override
    public String summary() {
        return "a model folder's config, tensor and parameter counts, dtype; the GEMM backend and SIMD width in use";
    }

    @Override
    public String help() {
        return """
                Usage: bert4j info [--model DIR] [--gemm auto|openblas|java] [--kernels K] [--threads N]
                                   [--quantize none|int8] [--json]

                Loads the model (checking every tensor against config.json) and prints its configuration,
                tensor count, parameter count and dtype, the sentence pooling it declares, and the runtime:
                GEMM backend, SIMD width, threads and JDK, the weights' precision, and which GEMM backend
                each weight shape uses and why (auto: timings of both backends on this machine, measured
                when a model first loads here and cached beside the converted models). A corrupt or
                mismatched folder exits with 1 and one line naming the problem.

                Options:
                  --model DIR     model folder (default: all-MiniLM-L6-v2)
                  --gemm B        GEMM backend to report on: auto | openblas | java (default: the
                                  bert4j.gemm system property, else auto)
                  --threads N     compute threads (default: all cores)
                  --kernels K     kernel set to report on: vector | vector-128/256/512 | scalar (default: the
                                  bert4j.kernels system property, else vector)
                  --quantize Q    weights to report on: int8 or none (default: as the folder stores them)
                  --json          print one JSON object instead of text
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("model", "gemm", "threads", KernelChoice.OPTION, QuantizeChoice.OPTION);
    }

    @Override
    public Set<String> switches() {
        return Set.of("json");
    }

    @Override
    public int run(CommandLine args, Console console) throws Exception {
        EngineOptions options = EngineOptions.defaults()
                .withGemm(args.getChoice("gemm", null, java.util.List.of("auto", "openblas", "java")))
                .withThreads(args.getInt("threads", 0, 1, 1024))
                .withKernels(args.getChoice(KernelChoice.OPTION, null,
                        java.util.List.of("vector", "vector-128", "vector-256", "vector-512", "scalar")))
                .withQuantize(QuantizeChoice.of(args));
        Path dir = ModelLocator.modelDir(args);
        JsonObject info = new JsonObject();
        info.addProperty("model", dir.toAbsolutePath().toString());
        try (BertModel model = BertModel.load(dir, options);
                SafetensorsFile weights = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
            BertConfig config = model.config();
            info.add("config", config.toJson());
            long parameters = 0;
            Map<DType, Long> byDtype = new TreeMap<>();
            for (TensorInfo tensor : weights.tensors()) {
                parameters += tensor.elementCount();
                byDtype.merge(tensor.dtype(), tensor.elementCount(), Long::sum);
            }
            info.addProperty("tensors", weights.tensors().size());
            info.addProperty("parameters", parameters);
            info.addProperty("dtype", byDtype.size() == 1 ? byDtype.keySet().iterator().next().name() : byDtype.toString());
            info.addProperty("weights_bytes", Files.size(dir.resolve("model.safetensors")));
            info.addProperty("pooler", model.hasPooler());
            info.addProperty("pooling", SentenceTransformerConfig.readPooling(dir).map(p -> p.name().toLowerCase(Locale.ROOT))
                    .orElse("none declared (mean by default)"));
            info.addProperty("normalize", SentenceTransformerConfig.readNormalize(dir));
            info.addProperty("gemm", model.gemm());
            info.addProperty("kernels", model.kernels());
            info.addProperty("threads", model.threads());
            info.addProperty("simd_bits", FloatVector.SPECIES_PREFERRED.vectorBitSize());
            info.addProperty("simd_floats", FloatVector.SPECIES_PREFERRED.length());
            info.addProperty("jdk", Runtime.version().toString());
            info.addProperty("load_ms", model.loadMillis());
            info.addProperty("repacked_bytes", model.packedWeightBytes());
            info.addProperty("repack_ms", (long) model.repackMillis());
            info.addProperty("weights_precision", model.weights());
            com.google.gson.JsonArray choices = new com.google.gson.JsonArray();
            for (String line : model.gemmChoices().split("\n")) {
                choices.add(line);
            }
            info.add("gemm_choices", choices);
        }
        if (args.has("json")) {
            console.out().println(new GsonBuilder().disableHtmlEscaping().create().toJson(info));
        } else {
            console.out().print(text(info));
        }
        return Main.OK;
    }

    private static String text(JsonObject info) {
        JsonObject c = info.getAsJsonObject("config");
        return String.format(Locale.ROOT, """
                model       %s
                config      %s, %d layers, hidden %d, %d heads, intermediate %d, %s, vocab %d, max positions %d, type vocab %d, eps %s
                weights     %d tensors, %,d parameters, %s, %.1f MB%s
                pooling     %s
                runtime     kernels %s, GEMM %s, machine SIMD %d-bit (%d floats), %d threads, JDK %s
                load        %d ms, of which %d ms copying %.1f MB of weights the backend cannot read in place
                precision   %s weights in the encoder's Linear layers
                GEMM        %s
                """,
                info.get("model").getAsString(),
                c.get("model_type").getAsString(), c.get("num_hidden_layers").getAsInt(), c.get("hidden_size").getAsInt(),
                c.get("num_attention_heads").getAsInt(), c.get("intermediate_size").getAsInt(), c.get("hidden_act").getAsString(),
                c.get("vocab_size").getAsInt(), c.get("max_position_embeddings").getAsInt(), c.get("type_vocab_size").getAsInt(),
                c.get("layer_norm_eps").getAsString(),
                info.get("tensors").getAsInt(), info.get("parameters").getAsLong(), info.get("dtype").getAsString(),
                info.get("weights_bytes").getAsLong() / 1e6, info.get("pooler").getAsBoolean() ? ", with pooler" : "",
                info.get("pooling").getAsString() + (info.get("normalize").getAsBoolean() ? ", then L2 normalisation" : ""),
                info.get("kernels").getAsString(), info.get("gemm").getAsString(), info.get("simd_bits").getAsInt(), info.get("simd_floats").getAsInt(),
                info.get("threads").getAsInt(), info.get("jdk").getAsString(),
                info.get("load_ms").getAsLong(), info.get("repack_ms").getAsLong(),
                info.get("repacked_bytes").getAsLong() / 1e6,
                switch (info.get("weights_precision").getAsString()) {
                    case "int8" -> "int8 (one byte each, a scale per output channel; FP32 arithmetic)";
                    case "int8-widened" -> "int8 values widened to FP32 at load (OpenBLAS multiplies FP32 only)";
                    default -> "FP32";
                },
                String.join("\n            ", info.getAsJsonArray("gemm_choices").asList().stream()
                        .map(com.google.gson.JsonElement::getAsString).toList()));
    }
}
