package org.bert4j.server;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A real client: langchain4j's OpenAiEmbeddingModel pointed at the server (with an API key, as it sends one) gets
 * the vectors SentenceEncoder computes in-process, to 1e-6. The texts go as one request, so they are packed as
 * SentenceEncoder packs them and the forward sees the same batch: any difference left is a serialisation error.
 */
class OpenAiClientTest {

    @Test
    void langchain4jGetsTheSentenceEncodersVectors() {
        List<String> texts = List.of("The cat is running around outside", "What is Deep Learning?",
                "Biden Signs Executive Order On Abortion Access", "Ünïcödé and emoji 🎉 survive the trip");
        try (BertServer server = TestServers.start(ServerOptions.defaults().withPort(0).withApiKey("test-key"), false)) {
            OpenAiEmbeddingModel model = OpenAiEmbeddingModel.builder()
                    .baseUrl(server.uri() + "/v1")
                    .apiKey("test-key")
                    .modelName("all-MiniLM-L6-v2")
                    .maxRetries(0)
                    .build();
            List<Embedding> got = model.embedAll(texts.stream().map(TextSegment::from).toList()).content();
            float[][] want = TestServers.encoder().encode(texts);
            assertEquals(texts.size(), got.size());
            for (int i = 0; i < texts.size(); i++) {
                EmbedRoutesTest.assertClose(want[i], got.get(i).vector(), 1e-6, texts.get(i));
            }
            assertEquals(384, model.embed("one more").content().dimension());
        }
    }
}
