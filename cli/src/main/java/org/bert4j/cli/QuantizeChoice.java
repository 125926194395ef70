package org.bert4j.cli;

import org.bert4j.engine.EngineOptions;

/**
 * {@code --quantize none|int8}: the precision of the encoder's Linear weights a command's model runs with. int8 keeps
 * one byte per weight and a scale per output channel (quantized at load, unless the folder was converted with
 * {@code convert --quantize int8}), FP32 arithmetic; none runs FP32 (an int8 folder's weights widened at load).
 * Absent: as the model folder stores them. ({@code --precision} is the output embeddings' precision, another thing.)
 */
final class QuantizeChoice {
    private QuantizeChoice() {}

    static final String OPTION = "quantize";

    /** The value given, or null (as the folder stores them). */
    static String of(CommandLine args) {
        return args.getChoice(OPTION, null, EngineOptions.QUANTIZE_CHOICES);
    }
}
