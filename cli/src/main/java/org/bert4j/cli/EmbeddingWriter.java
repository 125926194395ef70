package org.bert4j.cli;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/** Writes embeddings row by row as they are computed, so memory stays bounded on any input size. */
public interface EmbeddingWriter extends Closeable {

    /** Writes the embedding of input number {@code index}. Rows arrive in input order. */
    void write(long index, float[] embedding) throws IOException;

    /** Pushes the rows written so far to their destination, so a reader downstream sees each batch. */
    void flush() throws IOException;

    /** Completes the output (e.g. the row count in an npy header). */
    void finish() throws IOException;

    /** One JSON object per line: {@code {"index":0,"embedding":[...]}}. */
    static EmbeddingWriter jsonl(OutputStream out) {
        return new TextRows(out) {
            @Override
            void row(Writer writer, long index, float[] embedding) throws IOException {
                writer.write("{\"index\":" + index + ",\"embedding\":[");
                for (int i = 0; i < embedding.length; i++) {
                    writer.write(i == 0 ? "" : ",");
                    writer.write(Float.toString(embedding[i]));
                }
                writer.write("]}\n");
            }
        };
    }

    /** CSV with a header row {@code index,e0,e1,...}. */
    static EmbeddingWriter csv(OutputStream out) {
        return new TextRows(out) {
            private boolean headerWritten;

            @Override
            void row(Writer writer, long index, float[] embedding) throws IOException {
                if (!headerWritten) {
                    writer.write("index");
                    for (int i = 0; i < embedding.length; i++) {
                        writer.write(",e" + i);
                    }
                    writer.write('\n');
                    headerWritten = true;
                }
                writer.write(Long.toString(index));
                for (float value : embedding) {
                    writer.write(',');
                    writer.write(Float.toString(value));
                }
                writer.write('\n');
            }
        };
    }

    /** A text format written row by row through one buffered UTF-8 writer; {@code Float.toString} round-trips. */
    abstract class TextRows implements EmbeddingWriter {
        private final Writer writer;

        TextRows(OutputStream out) {
            this.writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        }

        abstract void row(Writer writer, long index, float[] embedding) throws IOException;

        @Override
        public void write(long index, float[] embedding) throws IOException {
            row(writer, index, embedding);
        }

        @Override
        public void flush() throws IOException {
            writer.flush();
        }

        @Override
        public void finish() throws IOException {
            writer.flush();
        }

        @Override
        public void close() throws IOException {
            writer.flush();
        }
    }

    /**
     * A NumPy {@code .npy} float32 matrix [rows, dim]. The row count is only known at the end, so the header
     * is written with room to spare and rewritten by {@link #finish()}.
     */
    static EmbeddingWriter npy(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        return new EmbeddingWriter() {
            private long rows;
            private int dim = -1;
            private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

            @Override
            public void write(long index, float[] embedding) throws IOException {
                if (dim < 0) {
                    dim = embedding.length;
                    channel.write(ByteBuffer.wrap(NpyHeader.of(0, dim)));
                } else if (embedding.length != dim) {
                    throw new IOException("embedding width changed from " + dim + " to " + embedding.length);
                }
                for (float value : embedding) {
                    if (buffer.remaining() < Float.BYTES) {
                        flushBuffer();
                    }
                    buffer.putFloat(value);
                }
                rows++;
            }

            private void flushBuffer() throws IOException {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                buffer.clear();
            }

            @Override
            public void flush() throws IOException {
                flushBuffer();
            }

            @Override
            public void finish() throws IOException {
                flushBuffer();
                channel.write(ByteBuffer.wrap(NpyHeader.of(rows, Math.max(dim, 0))), 0);
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    /** The npy v1.0 header: magic, version, length, and a dict padded with spaces to a fixed 128 bytes. */
    final class NpyHeader {
        static final int LENGTH = 128;

        private NpyHeader() {}

        static byte[] of(long rows, int dim) {
            return of(rows, dim, "<f4");
        }

        /** The header of a [rows, dim] matrix of NumPy dtype {@code descr} ("<f4", "|i1", "|u1"). */
        static byte[] of(long rows, int dim, String descr) {
            String dict = String.format(Locale.ROOT, "{'descr': '%s', 'fortran_order': False, 'shape': (%d, %d), }",
                    descr, rows, dim);
            int dictLength = LENGTH - 10;
            StringBuilder padded = new StringBuilder(dict);
            while (padded.length() < dictLength - 1) {
                padded.append(' ');
            }
            padded.append('\n');
            byte[] header = new byte[LENGTH];
            header[0] = (byte) 0x93;
            System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, header, 1, 5);
            header[6] = 1;
            header[7] = 0;
            header[8] = (byte) (dictLength & 0xff);
            header[9] = (byte) (dictLength >>> 8);
            System.arraycopy(padded.toString().getBytes(StandardCharsets.US_ASCII), 0, header, 10, dictLength);
            return header;
        }
    }
}
