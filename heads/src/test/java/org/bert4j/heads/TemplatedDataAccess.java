package org.bert4j.heads;

import org.bert4j.heads.data.Example;

import java.util.List;

/** The templated dataset, for tests in other packages. */
public final class TemplatedDataAccess {

    private TemplatedDataAccess() {
    }

    public static List<Example> generate(int n, long seed) {
        return TemplatedData.generate(n, seed);
    }

    public static List<String> topics() {
        return TemplatedData.TOPICS;
    }
}
