package org.bert4j.heads;

import org.bert4j.engine.BertModelOutput;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A tiny deterministic stand-in for BERT so the heads' logic can be tested in milliseconds: words are runs of
 * letters/digits or single punctuation marks, words longer than six characters split into two sub-word pieces
 * (same word id), and a token's vector is a fixed random embedding of its lower-cased piece plus half of each
 * neighbour's, so there is some context.
 */
public final class FakeBackbone implements Backbone {

    static final int CLS = 101;
    static final int SEP = 102;
    private final int hidden;
    private final int maxLength;

    public FakeBackbone(int hidden, int maxLength) {
        this.hidden = hidden;
        this.maxLength = maxLength;
    }

    @Override
    public int hiddenSize() {
        return hidden;
    }

    @Override
    public int maxLength() {
        return maxLength;
    }

    @Override
    public String reference() {
        return "fake:" + hidden;
    }

    @Override
    public Tokens tokenize(String text) {
        List<int[]> pieces = new ArrayList<>(); // id, start, end, word
        pieces.add(new int[] {CLS, 0, 0, -1});
        int word = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int end = i + 1;
            if (Character.isLetterOrDigit(c)) {
                while (end < text.length() && Character.isLetterOrDigit(text.charAt(end))) {
                    end++;
                }
            }
            if (end - i > 6) {
                pieces.add(new int[] {id(text.substring(i, i + 4)), i, i + 4, word});
                pieces.add(new int[] {id("##" + text.substring(i + 4, end)), i + 4, end, word});
            } else {
                pieces.add(new int[] {id(text.substring(i, end)), i, end, word});
            }
            word++;
            i = end;
        }
        if (pieces.size() > maxLength - 1) {
            pieces = new ArrayList<>(pieces.subList(0, maxLength - 1));
        }
        pieces.add(new int[] {SEP, 0, 0, -1});
        int n = pieces.size();
        int[] ids = new int[n];
        int[] starts = new int[n];
        int[] ends = new int[n];
        int[] words = new int[n];
        for (int t = 0; t < n; t++) {
            ids[t] = pieces.get(t)[0];
            starts[t] = pieces.get(t)[1];
            ends[t] = pieces.get(t)[2];
            words[t] = pieces.get(t)[3];
        }
        return new Tokens(text, ids, starts, ends, words);
    }

    private static int id(String piece) {
        return 1000 + Math.floorMod(piece.toLowerCase().hashCode(), 1_000_000);
    }

    @Override
    public BertModelOutput forward(List<Tokens> batch) {
        int total = 0;
        int[] starts = new int[batch.size()];
        int[] lengths = new int[batch.size()];
        for (int s = 0; s < batch.size(); s++) {
            starts[s] = total;
            lengths[s] = batch.get(s).length();
            total += lengths[s];
        }
        float[] out = new float[total * hidden];
        for (int s = 0; s < batch.size(); s++) {
            int[] ids = batch.get(s).ids();
            for (int t = 0; t < ids.length; t++) {
                float[] self = embedding(ids[t]);
                float[] left = t > 0 ? embedding(ids[t - 1]) : new float[hidden];
                float[] right = t + 1 < ids.length ? embedding(ids[t + 1]) : new float[hidden];
                int row = (starts[s] + t) * hidden;
                for (int i = 0; i < hidden; i++) {
                    out[row + i] = self[i] + 0.5f * left[i] + 0.5f * right[i];
                }
            }
        }
        return new BertModelOutput(out, hidden, starts, lengths, null, null);
    }

    private float[] embedding(int id) {
        Random random = new Random(id * 31L + hidden);
        float[] v = new float[hidden];
        for (int i = 0; i < hidden; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
