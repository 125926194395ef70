package org.bert4j.heads.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The end of input is read once: on a terminal each further read waits for another Ctrl-D, so asking past the end
 * (as a caller's batch loop does) must not read again.
 */
class CsvRecordsEndTest {

    /** A reader that counts the reads made after it first reported the end. */
    static final class CountingReader extends Reader {
        private final Reader text;
        boolean ended;
        int readsAfterEnd;

        CountingReader(String text) {
            this.text = new StringReader(text);
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            if (ended) {
                readsAfterEnd++;
            }
            int n = text.read(buffer, offset, length);
            ended |= n < 0;
            return n;
        }

        @Override
        public void close() {
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a,b\n1,2\n", "a,b\n1,2", "a,b\n1,\"x\ny\"", "a,b\n1,2\n\n\r\n", "a,b"})
    void theEndIsReadOnce(String csv) throws IOException {
        CountingReader reader = new CountingReader(csv);
        try (CsvRecords records = CsvRecords.open(reader, "test.csv")) {
            assertEquals(List.of("a", "b"), records.header());
            while (records.next() != null) {
                // every record
            }
            assertNull(records.next(), "still the end");
            assertNull(records.next(), "still the end");
        }
        assertEquals(0, reader.readsAfterEnd, "reads after the reader reported the end");
    }
}
