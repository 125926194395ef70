package org.bert4j.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Hugging Face's Rust tokenizer (through DJL's JNI binding) as the oracle the tests compare against.
 *
 * <p>DJL encodes with {@code encode_char_offsets}, so its offsets count Unicode code points (Rust
 * {@code char}s), not bytes and not UTF-16 units; {@link #encode} converts them to UTF-16 indices, what
 * bert4j returns. DJL reports no span (null) for the template's special tokens; Hugging Face's offsets
 * for them are (0, 0), which is what bert4j gives. Usage tracking is off (OPT_OUT_TRACKING=true, set by
 * surefire), and the native library ships inside the DJL jar, so nothing touches the network.
 */
final class HfOracle implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;

    private HfOracle(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** The oracle for {@code tokenizerJson}, without truncation or padding. */
    static HfOracle open(Path tokenizerJson) {
        return open(tokenizerJson, Truncation.NONE, 0, true);
    }

    /** The oracle with the given truncation ({@code maxLength} tokens) and special-token setting. */
    static HfOracle open(Path tokenizerJson, Truncation truncation, int maxLength, boolean addSpecialTokens) {
        if (!"true".equals(System.getenv("OPT_OUT_TRACKING"))) {
            throw new IllegalStateException("set OPT_OUT_TRACKING=true (surefire does): DJL phones home otherwise");
        }
        Map<String, String> options = new HashMap<>();
        options.put("padding", "false");
        options.put("addSpecialTokens", Boolean.toString(addSpecialTokens));
        options.put("modelMaxLength", "1000000");
        if (truncation == Truncation.NONE) {
            options.put("truncation", "false");
        } else {
            options.put("truncation", truncation.name());
            options.put("maxLength", Integer.toString(maxLength));
        }
        try {
            return new HfOracle(HuggingFaceTokenizer.newInstance(tokenizerJson, options));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The oracle padding batches ("LONGEST" or "MAX_LENGTH"), truncating to {@code maxLength} if above 0. */
    static HfOracle padding(Path tokenizerJson, String padding, int maxLength, int padToMultipleOf) {
        Map<String, String> options = new HashMap<>();
        options.put("padding", padding);
        options.put("padToMultipleOf", Integer.toString(padToMultipleOf));
        options.put("modelMaxLength", "1000000");
        if (maxLength > 0) {
            options.put("truncation", "LONGEST_FIRST");
            options.put("maxLength", Integer.toString(maxLength));
        } else {
            options.put("truncation", "false");
        }
        try {
            return new HfOracle(HuggingFaceTokenizer.newInstance(tokenizerJson, options));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Hugging Face's encodings of a batch, padded as configured. */
    java.util.List<Encoding> encodeBatch(java.util.List<String> texts) {
        java.util.List<Encoding> out = new java.util.ArrayList<>();
        for (ai.djl.huggingface.tokenizers.Encoding e : tokenizer.batchEncode(texts)) {
            out.add(convert(e, texts.get(out.size()), null));
        }
        return out;
    }

    /** Hugging Face's encoding of {@code first} (and {@code second}, or null), as a bert4j {@link Encoding}. */
    Encoding encode(String first, String second) {
        ai.djl.huggingface.tokenizers.Encoding e = second == null ? tokenizer.encode(first)
                : tokenizer.encode(first, second);
        return convert(e, first, second);
    }

    private static Encoding convert(ai.djl.huggingface.tokenizers.Encoding e, String first, String second) {
        long[] ids = e.getIds();
        int n = ids.length;
        int[] starts = new int[n];
        int[] ends = new int[n];
        long[] seq = e.getSequenceIds();
        CharSpan[] spans = e.getCharTokenSpans();
        int[] firstUnits = utf16Index(first);
        int[] secondUnits = second == null ? null : utf16Index(second);
        int[] sequenceIds = new int[n];
        for (int i = 0; i < n; i++) {
            sequenceIds[i] = (int) seq[i];
            if (spans[i] != null) {
                int[] units = seq[i] == 1 ? secondUnits : firstUnits;
                starts[i] = units[spans[i].getStart()];
                ends[i] = units[spans[i].getEnd()];
            }
        }
        return new Encoding(toInt(ids), toInt(e.getTypeIds()), toInt(e.getAttentionMask()),
                toInt(e.getSpecialTokenMask()), starts, ends, toInt(e.getWordIds()), sequenceIds, e.getTokens());
    }

    /** For each code point index (and one past the last), the UTF-16 index where it starts. */
    static int[] utf16Index(String s) {
        int[] index = new int[s.codePointCount(0, s.length()) + 1];
        int k = 0;
        for (int i = 0; i < s.length(); i += Character.charCount(s.codePointAt(i))) {
            index[k++] = i;
        }
        index[k] = s.length();
        return index;
    }

    String decode(int[] ids, boolean skipSpecialTokens) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return tokenizer.decode(l, skipSpecialTokens);
    }

    private static int[] toInt(long[] a) {
        int[] r = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = (int) a[i];
        }
        return r;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
