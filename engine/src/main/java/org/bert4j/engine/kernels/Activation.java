package org.bert4j.engine.kernels;

/** The feed-forward activation of a BERT layer, as named by {@code hidden_act} in a Hugging Face config.json. */
public enum Activation {
    /** Exact GELU, 0.5·x·(1 + erf(x/√2)): Hugging Face's {@code gelu}. */
    GELU,
    /** GELU's tanh approximation: Hugging Face's {@code gelu_new}, {@code gelu_pytorch_tanh}, {@code gelu_fast}. */
    GELU_TANH,
    /** max(0, x). */
    RELU,
    /**
     * tanh(x): the BERT pooler's activation (never a {@code hidden_act} here). One value per sequence and hidden
     * unit, so both kernel sets compute it with StrictMath, the same bits on every JVM and in every JIT tier.
     */
    TANH;

    /**
     * The activation a config.json's {@code hidden_act} names (case-sensitive, as in Hugging Face's ACT2FN);
     * anything this engine does not implement is an error rather than a silently different function.
     */
    public static Activation fromConfig(String hiddenAct) {
        if (hiddenAct == null) {
            throw new IllegalArgumentException("hidden_act must not be null");
        }
        return switch (hiddenAct) {
            case "gelu" -> GELU;
            case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> GELU_TANH;
            case "relu" -> RELU;
            default -> throw new IllegalArgumentException("hidden_act \"" + hiddenAct
                    + "\" is not supported (supported: gelu, gelu_new, gelu_pytorch_tanh, gelu_fast, relu)");
        };
    }
}
