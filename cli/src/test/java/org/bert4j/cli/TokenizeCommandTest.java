package org.bert4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bert4j.convert.BundledModels;
import org.bert4j.tokenizer.BertTokenizer;
import org.bert4j.tokenizer.EncodeOptions;
import org.bert4j.tokenizer.Encoding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizeCommandTest {
    @TempDir
    Path dir;

    private static int[] ints(JsonArray array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).getAsInt();
        }
        return values;
    }

    private static void assertMatches(Encoding expected, JsonObject actual, String text) {
        assertArrayEquals(expected.ids(), ints(actual.getAsJsonArray("ids")), text);
        assertArrayEquals(expected.typeIds(), ints(actual.getAsJsonArray("type_ids")), text);
        JsonArray offsets = actual.getAsJsonArray("offsets");
        JsonArray tokens = actual.getAsJsonArray("tokens");
        JsonArray words = actual.getAsJsonArray("word_ids");
        for (int i = 0; i < expected.length(); i++) {
            assertEquals(expected.tokens()[i], tokens.get(i).getAsString());
            assertEquals(expected.offsetStarts()[i], offsets.get(i).getAsJsonArray().get(0).getAsInt());
            assertEquals(expected.offsetEnds()[i], offsets.get(i).getAsJsonArray().get(1).getAsInt());
            int word = expected.wordIds()[i];
            assertEquals(word < 0, words.get(i).isJsonNull());
            if (word >= 0) {
                assertEquals(word, words.get(i).getAsInt());
            }
        }
    }

    @Test
    void printsTheTokenizersEncodingOfEachArgument() throws Exception {
        BertTokenizer tokenizer = BertTokenizer.load(BundledModels.defaultModel());
        List<String> texts = List.of("The cat is running around outside", "Ünïcödé naïve café 🎉 tokenizers!");
        Cli run = Cli.run("tokenize", texts.get(0), texts.get(1));
        assertEquals(0, run.code(), run.err());
        assertEquals(2, run.lines().size());
        for (int i = 0; i < texts.size(); i++) {
            assertMatches(tokenizer.encode(texts.get(i)), JsonParser.parseString(run.lines().get(i)).getAsJsonObject(), texts.get(i));
        }
    }

    @Test
    void pairEncodesTextsTwoAtATime() throws Exception {
        BertTokenizer tokenizer = BertTokenizer.load(BundledModels.defaultModel());
        Cli run = Cli.run("tokenize", "--pair", "How old are you?", "I am six.");
        assertEquals(0, run.code(), run.err());
        JsonObject json = JsonParser.parseString(run.out().strip()).getAsJsonObject();
        assertMatches(tokenizer.encodePair("How old are you?", "I am six.", EncodeOptions.defaults()), json, "pair");
        assertTrue(ints(json.getAsJsonArray("type_ids"))[json.getAsJsonArray("ids").size() - 1] == 1);
    }

    @Test
    void jsonlInputKeepsNewlinesAndTabsInsideTexts() throws Exception {
        Path input = dir.resolve("texts.jsonl");
        Files.writeString(input, "{\"text\": \"line one\\nline\\ttwo\"}\n{\"text\": \"third\"}\n");
        BertTokenizer tokenizer = BertTokenizer.load(BundledModels.defaultModel());
        Cli run = Cli.run("tokenize", "--input", input.toString());
        assertEquals(0, run.code(), run.err());
        assertEquals(2, run.lines().size());
        assertMatches(tokenizer.encode("line one\nline\ttwo"), JsonParser.parseString(run.lines().get(0)).getAsJsonObject(), "jsonl");
    }

    @Test
    void oddNumberOfPairTextsIsAUsageError() {
        Cli run = Cli.run("tokenize", "--pair", "alone");
        assertEquals(Main.USAGE, run.code());
        assertTrue(run.err().contains("even number"), run.err());
    }

    @Test
    void missingModelFolderIsAUsageErrorNamingIt() {
        Cli run = Cli.run("tokenize", "--model", dir.resolve("absent").toString(), "text");
        assertEquals(Main.USAGE, run.code());
        assertTrue(run.err().contains("model folder not found") && run.err().contains("absent"), run.err());
        assertEquals(1, run.err().lines().count(), "one line, no stack trace: " + run.err());
    }

    @Test
    void unknownJsonlFieldListsTheFieldsThatExist() throws Exception {
        Path input = dir.resolve("texts.jsonl");
        Files.writeString(input, "{\"headline\": \"x\", \"category\": \"y\"}\n");
        Cli run = Cli.run("tokenize", "--input", input.toString(), "--columns", "title");
        assertEquals(Main.FAILURE, run.code());
        assertTrue(run.err().contains("no field 'title'") && run.err().contains("headline, category"), run.err());
    }

    @Test
    void unknownCsvColumnListsTheColumnsThatExist() throws Exception {
        Path input = dir.resolve("texts.csv");
        Files.writeString(input, "headline,category\n\"a, b\",c\n");
        Cli run = Cli.run("tokenize", "--input", input.toString(), "--columns", "title");
        assertEquals(Main.USAGE, run.code());
        assertTrue(run.err().contains("no column 'title'") && run.err().contains("headline, category"), run.err());
    }

    @Test
    void csvColumnsAreJoinedWithASpaceAsInTheSeed() throws Exception {
        Path input = dir.resolve("texts.csv");
        Files.writeString(input, "headline,short_description,category\n\"Cats, dogs\",\"They \"\"play\"\"\nall day\",PETS\n");
        BertTokenizer tokenizer = BertTokenizer.load(BundledModels.defaultModel());
        Cli run = Cli.run("tokenize", "--input", input.toString(), "--columns", "headline,short_description");
        assertEquals(0, run.code(), run.err());
        assertMatches(tokenizer.encode("Cats, dogs They \"play\"\nall day"), JsonParser.parseString(run.out().strip()).getAsJsonObject(), "csv");
    }

    @Test
    void emptyInputPrintsNothingAndSucceeds() throws Exception {
        Path input = dir.resolve("empty.jsonl");
        Files.writeString(input, "");
        Cli run = Cli.run("tokenize", "--input", input.toString());
        assertEquals(Main.OK, run.code(), run.err());
        assertEquals("", run.out());
    }
}
