package org.bert4j.cli;

import java.util.List;

/**
 * Which kernels a command's model computes with, decided once before it loads: {@code --kernels} when given; else the
 * scalar kernels when the texts are command-line arguments (a one-shot run of a few texts, over before the JIT could
 * compile the vector kernels, which run interpreted until then), else the vector kernels (a file or a pipe: enough
 * texts for compiling to pay off). Both give the same results to float rounding.
 */
final class KernelChoice {
    private KernelChoice() {}

    static final String OPTION = "kernels";


    static String of(CommandLine args) {
        String given = args.getChoice(OPTION, null,
                List.of("auto", "vector", "vector-128", "vector-256", "vector-512", "scalar"));
        if (given != null && !given.equals("auto")) {
            return given;
        }
        return args.positionals().isEmpty() ? "vector" : "scalar";
    }
}
