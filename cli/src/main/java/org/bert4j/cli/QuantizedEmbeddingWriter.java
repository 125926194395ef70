package org.bert4j.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.bert4j.engine.Calibration;
import org.bert4j.engine.Precision;
import org.bert4j.engine.QuantizedEmbeddings;
import org.bert4j.engine.Quantization;

/**
 * {@code embed --precision int8|uint8|binary|ubinary}: takes the float rows {@link EmbedCommand} computes and writes
 * them quantized as sentence-transformers' {@code encode(precision=…)} returns them: JSONL and CSV rows of integers
 * (as NumPy reads the bytes), or an npy matrix of int8 / uint8. binary and ubinary rows are written as they come;
 * int8 and uint8 buckets depend on every vector's values (the ranges of the whole input, as sentence-transformers
 * computes them over one encode call), so those rows are held and written at {@link #finish()}.
 */
final class QuantizedEmbeddingWriter implements EmbeddingWriter {

    private final Precision precision;
    private final RowSink sink;
    private final List<float[]> held = new ArrayList<>();
    private long firstHeldIndex = -1;

    private QuantizedEmbeddingWriter(Precision precision, RowSink sink) {
        this.precision = precision;
        this.sink = sink;
    }

    /** A writer in {@code format} ("jsonl", "csv" to {@code out}; "npy" to {@code npyFile}). */
    static QuantizedEmbeddingWriter of(Precision precision, String format, OutputStream out, Path npyFile)
            throws IOException {
        RowSink sink = switch (format) {
            case "csv" -> new TextSink(out, true);
            case "npy" -> new NpySink(npyFile, precision.isSigned() ? "|i1" : "|u1");
            default -> new TextSink(out, false);
        };
        return new QuantizedEmbeddingWriter(precision, sink);
    }

    @Override
    public void write(long index, float[] embedding) throws IOException {
        if (precision.packsBits()) {
            QuantizedEmbeddings row = Quantization.quantize(new float[][] {embedding}, precision);
            sink.row(index, row.values(0));
        } else {
            if (firstHeldIndex < 0) {
                firstHeldIndex = index;
            }
            held.add(embedding);
        }
    }

    @Override
    public void flush() throws IOException {
        sink.flush();
    }

    @Override
    public void finish() throws IOException {
        if (!held.isEmpty()) {
            float[][] all = held.toArray(new float[0][]);
            QuantizedEmbeddings rows = Quantization.quantize(all, precision, Calibration.of(all));
            for (int r = 0; r < rows.size(); r++) {
                sink.row(firstHeldIndex + r, rows.values(r));
            }
            held.clear();
        }
        sink.finish();
    }

    @Override
    public void close() throws IOException {
        sink.close();
    }

    /** Where integer rows go. */
    private interface RowSink {
        void row(long index, int[] values) throws IOException;

        void flush() throws IOException;

        void finish() throws IOException;

        void close() throws IOException;
    }

    /** JSONL {@code {"index":i,"embedding":[…]}} or CSV with an {@code index,e0,…} header, integers in both. */
    private static final class TextSink implements RowSink {
        private final Writer writer;
        private final boolean csv;
        private boolean headerWritten;

        TextSink(OutputStream out, boolean csv) {
            this.writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            this.csv = csv;
        }

        @Override
        public void row(long index, int[] values) throws IOException {
            if (csv) {
                if (!headerWritten) {
                    writer.write("index");
                    for (int i = 0; i < values.length; i++) {
                        writer.write(",e" + i);
                    }
                    writer.write('\n');
                    headerWritten = true;
                }
                writer.write(Long.toString(index));
                for (int v : values) {
                    writer.write(',');
                    writer.write(Integer.toString(v));
                }
                writer.write('\n');
            } else {
                writer.write("{\"index\":" + index + ",\"embedding\":[");
                for (int i = 0; i < values.length; i++) {
                    writer.write(i == 0 ? "" : ",");
                    writer.write(Integer.toString(values[i]));
                }
                writer.write("]}\n");
            }
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

    /** An npy matrix of one byte per value; the header is rewritten with the row count at the end. */
    private static final class NpySink implements RowSink {
        private final FileChannel channel;
        private final String descr;
        private long rows;
        private int width = -1;

        NpySink(Path file, String descr) throws IOException {
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            this.descr = descr;
        }

        @Override
        public void row(long index, int[] values) throws IOException {
            if (width < 0) {
                width = values.length;
                channel.write(ByteBuffer.wrap(EmbeddingWriter.NpyHeader.of(0, width, descr)));
            }
            byte[] bytes = new byte[values.length];
            for (int i = 0; i < values.length; i++) {
                bytes[i] = (byte) values[i];   // the low byte: int8 and uint8 share it
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            rows++;
        }

        @Override
        public void flush() {
        }

        @Override
        public void finish() throws IOException {
            channel.write(ByteBuffer.wrap(EmbeddingWriter.NpyHeader.of(rows, Math.max(width, 0), descr)), 0);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
