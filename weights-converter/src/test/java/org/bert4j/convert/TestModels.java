package org.bert4j.convert;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Access to the bundled models' original files (classpath resources of the langchain4j jars) for tests. */
final class TestModels {

    /** A hello-world sentence in the BERT uncased vocabulary: [CLS] hello world , it ' s me [SEP]. */
    static final long[] IDS = {101, 7592, 2088, 1010, 2009, 1005, 1055, 2033, 102};

    private TestModels() {}

    static byte[] resource(String file) throws IOException {
        try (InputStream in = TestModels.class.getResourceAsStream("/" + file)) {
            if (in == null) {
                throw new IllegalStateException("test resource /" + file + " is missing: is the model jar a test dependency?");
            }
            return in.readAllBytes();
        }
    }

    static JsonObject json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
    }
}
