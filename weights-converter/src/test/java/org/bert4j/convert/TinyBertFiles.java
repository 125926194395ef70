package org.bert4j.convert;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;

/** Shared helpers for tests in other packages. */
public final class TinyBertFiles {

    private TinyBertFiles() {}

    /** The 12-token WordPiece tokenizer.json of the tiny test models. */
    public static String tokenizerJson() {
        return TinyBertOnnx.tokenizerJson();
    }

    public static JsonObject json(Path file) throws IOException {
        return TestModels.json(file);
    }
}
