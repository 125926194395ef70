package org.bert4j.heads.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConllDatasetTest {

    @TempDir
    Path dir;

    @Test
    void readsSentencesSkippingDocstartAndMiddleColumns() throws Exception {
        Path file = dir.resolve("train.conll");
        Files.writeString(file, """
                -DOCSTART- -X- -X- O

                EU NNP B-NP B-ORG
                rejects VBZ B-VP O
                German JJ B-NP B-MISC
                call NN I-NP O

                Peter NNP B-NP I-PER
                Blackburn NNP I-NP I-PER
                """);
        Dataset data = ConllDataset.read(file);
        assertEquals(2, data.size());
        assertEquals("EU rejects German call", data.examples().get(0).text());
        assertEquals(List.of(new EntitySpan(0, 2, "ORG"), new EntitySpan(11, 17, "MISC")),
                data.examples().get(0).entities());
        assertEquals(3, data.examples().get(0).line());
        // IOB1: an I- after O starts an entity, as seqeval reads it.
        assertEquals(List.of(new EntitySpan(0, 15, "PER")), data.examples().get(1).entities());
    }

    @Test
    void aLineWithoutATagNamesTheLine() throws Exception {
        Path file = dir.resolve("bad.conll");
        Files.writeString(file, "EU B-ORG\nrejects\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> ConllDataset.read(file));
        assertEquals(2, e.line());
    }
}
