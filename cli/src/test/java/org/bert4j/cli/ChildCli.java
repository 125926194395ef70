package org.bert4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bert4j.convert.BundledModels;

/**
 * The real {@code bert4j} command in a child JVM (this test JVM's classpath and model cache), for what only a separate
 * process shows: a real closed pipe (EPIPE), a small heap, a SIGKILL.
 */
final class ChildCli {
    private ChildCli() {}

    /** A process builder for {@code bert4j ARGS} with extra JVM options (e.g. {@code -Xmx128m}). */
    static ProcessBuilder command(List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xss8m",
                "-XX:+UseSerialGC", "-Xlog:disable", "-Xlog:all=warning:stderr",
                "-Dbert4j.cacheDir=" + BundledModels.cacheRoot()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("OPT_OUT_TRACKING", "true");
        return builder;
    }
}
