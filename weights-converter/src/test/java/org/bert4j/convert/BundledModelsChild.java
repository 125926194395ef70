package org.bert4j.convert;

/** Run in a child JVM by {@link BundledModelsTest}: ensures a bundled model and prints its folder. */
public final class BundledModelsChild {

    private BundledModelsChild() {}

    public static void main(String[] args) throws Exception {
        System.out.println(BundledModels.ensure(args[0], java.nio.file.Path.of(args[1])));
    }
}
