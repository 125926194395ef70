package org.bert4j.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks, before a model is loaded, that the JVM was started with the two options the engine needs, and names the
 * missing ones in one error instead of a {@code NoClassDefFoundError} deep inside the first forward pass.
 *
 * <ul>
 *   <li>{@code --add-modules jdk.incubator.vector}: the kernels use the Vector API, still an incubator module in
 *       JDK 25, and the JVM resolves an incubator module only when asked to.</li>
 *   <li>{@code --enable-native-access=ALL-UNNAMED} (or the engine's module name when it runs on the module path):
 *       the GEMMs call OpenBLAS through {@code java.lang.foreign}, whose downcalls are restricted methods. Without
 *       the option JDK 25 only warns on stderr (JEP 472 announces that a later release will refuse), and the
 *       warning reads like a fault to users.</li>
 * </ul>
 */
public final class JvmRequirements {
    private JvmRequirements() {}

    /** Throws an {@link IllegalStateException} naming every missing JVM option; returns quietly when none is. */
    public static void check() {
        List<String> missing = missing(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                JvmRequirements.class.getModule());
        if (!missing.isEmpty()) {
            throw new IllegalStateException(message(missing));
        }
    }

    /** The options missing from a JVM where the Vector API module is (or is not) resolved and {@code engine} runs. */
    static List<String> missing(boolean vectorModuleResolved, Module engine) {
        List<String> missing = new ArrayList<>(2);
        if (!vectorModuleResolved) {
            missing.add("--add-modules jdk.incubator.vector (the engine's kernels use the Vector API, an incubator"
                    + " module the JVM leaves out unless asked)");
        }
        if (!engine.isNativeAccessEnabled()) {
            String who = engine.isNamed() ? engine.getName() : "ALL-UNNAMED";
            missing.add("--enable-native-access=" + who + " (matrix products call OpenBLAS through java.lang.foreign)");
        }
        return missing;
    }

    static String message(List<String> missing) {
        return "bert4j cannot load a model: the JVM was started without " + String.join(" and without ", missing)
                + ". Add " + (missing.size() == 1 ? "it" : "them") + " to the java command line (or JDK_JAVA_OPTIONS,"
                + " surefire's argLine, Gradle's applicationDefaultJvmArgs); see docs/library.md.";
    }
}
