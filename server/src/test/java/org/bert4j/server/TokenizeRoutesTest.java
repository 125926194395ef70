package org.bert4j.server;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.bert4j.tokenizer.Encoding;
import org.junit.jupiter.api.Test;

import static org.bert4j.server.EmbedRoutesTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /tokenize and /decode against the model's tokenizer. */
class TokenizeRoutesTest {

    @Test
    void tokenizeGivesIdsTextsAndCharacterOffsets() {
        String text = "Héllo, naïve 🎉 world";
        Encoding want = TestServers.encoder().tokenizer().encode(text);
        Http.Answer a = Http.post(TestServers.shared(), "/tokenize", "{\"inputs\": \"" + text + "\"}");
        assertEquals(200, a.status(), a.body());
        JsonArray tokens = a.json().getAsJsonArray().get(0).getAsJsonArray();
        assertEquals(want.length(), tokens.size());
        for (int t = 0; t < tokens.size(); t++) {
            JsonObject token = tokens.get(t).getAsJsonObject();
            assertEquals(want.ids()[t], token.get("id").getAsInt());
            boolean special = token.get("special").getAsBoolean();
            assertEquals(want.specialTokensMask()[t] == 1, special);
            if (special) {
                assertTrue(token.get("start").isJsonNull() && token.get("stop").isJsonNull());
            } else {
                int start = token.get("start").getAsInt();
                int stop = token.get("stop").getAsInt();
                String covered = new String(text.codePoints().skip(start).limit(stop - start).toArray(), 0, stop - start);
                assertEquals(token.get("text").getAsString(), covered, "offsets count code points");
            }
        }
        JsonObject emoji = tokens.get(4).getAsJsonObject();
        assertEquals("🎉", emoji.get("text").getAsString());
        assertEquals(13, emoji.get("start").getAsInt(), "one code point, though two UTF-16 chars");

        Http.Answer bare = Http.post(TestServers.shared(), "/tokenize",
                "{\"inputs\": [\"a b\", \"c\"], \"add_special_tokens\": false}");
        assertEquals(200, bare.status(), bare.body());
        assertEquals(2, bare.json().getAsJsonArray().get(0).getAsJsonArray().size());
        assertEquals(1, bare.json().getAsJsonArray().get(1).getAsJsonArray().size());
    }

    @Test
    void decodeTurnsIdsBackIntoText() {
        Http.Answer a = Http.post(TestServers.shared(), "/decode", "{\"ids\": [101, 7592, 1010, 2088, 102]}");
        assertEquals(200, a.status(), a.body());
        assertEquals("[\"hello, world\"]", a.body());
        Http.Answer kept = Http.post(TestServers.shared(), "/decode",
                "{\"ids\": [[101, 7592, 102], [2088]], \"skip_special_tokens\": false}");
        assertEquals("[\"[CLS] hello [SEP]\",\"world\"]", kept.body());
        assertError(Http.post(TestServers.shared(), "/decode", "{\"ids\": [999999]}"), 422, "tokenizer", "999999");
        assertError(Http.post(TestServers.shared(), "/decode", "{\"ids\": [1.5]}"), 422, "validation", "`ids[0]`");
        assertError(Http.post(TestServers.shared(), "/decode", "{\"ids\": []}"), 413, "validation", "cannot be empty");
    }
}
