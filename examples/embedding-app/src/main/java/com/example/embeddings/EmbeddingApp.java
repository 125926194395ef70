package com.example.embeddings;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.bert4j.engine.SentenceEncoder;
import org.bert4j.models.DefaultModel;

/** Embeds two sentences and prints the first one's vector and their cosine similarity. */
public final class EmbeddingApp {
    public static void main(String[] args) throws Exception {
        // A model folder given on the command line, else the default model (converted on first use, ~5 s).
        Path model = args.length > 0 && !args[0].isBlank() ? Path.of(args[0]) : DefaultModel.folder();
        try (SentenceEncoder encoder = SentenceEncoder.load(model)) {
            float[][] v = encoder.encode(List.of("The cat is running around outside", "A cat runs outdoors"));
            System.out.println("embedding (" + v[0].length + " values): " + Arrays.toString(Arrays.copyOf(v[0], 6)) + " ...");
            System.out.println("cosine similarity: " + encoder.similarity(v, v)[0][1]);
        }
    }
}
