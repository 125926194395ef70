package org.bert4j.heads.ner;

import org.bert4j.heads.LabelVocabulary;
import org.bert4j.heads.data.EntitySpan;

import java.util.Arrays;
import java.util.List;

/**
 * Character spans → one label index per token, following Hugging Face's {@code run_ner.py}. By default
 * ({@code label_all_tokens=False}) only a word's first sub-token is labelled; its other sub-tokens and the
 * special tokens get {@link #IGNORE} (-100, PyTorch's cross-entropy {@code ignore_index}) so they neither
 * add to the loss nor to the metrics. With {@code labelSubTokens} ({@code label_all_tokens=True}) the other
 * sub-tokens take their word's tag, {@code B-X} turned into {@code I-X}: the model then learns every piece,
 * which the {@code simple} aggregation needs. A word is what the tokenizer's pre-tokenizer made (its word
 * id); a word that overlaps an entity span takes that entity's tag, {@code B-} if it is the span's first word.
 */
public final class TokenLabels {

    /** The label of tokens the loss and the metrics skip. */
    public static final int IGNORE = -100;

    private TokenLabels() {
    }

    /**
     * Labels for one encoded text: {@code offsetStarts/offsetEnds} are the tokens' character ranges,
     * {@code wordIds} their word index (-1 for special and padding tokens); spans must not overlap.
     */
    public static int[] of(List<EntitySpan> spans, int[] offsetStarts, int[] offsetEnds, int[] wordIds,
                           TagScheme scheme, LabelVocabulary labels) {
        return of(spans, offsetStarts, offsetEnds, wordIds, scheme, labels, false);
    }

    /** As {@link #of(List, int[], int[], int[], TagScheme, LabelVocabulary)}, optionally labelling every sub-token. */
    public static int[] of(List<EntitySpan> spans, int[] offsetStarts, int[] offsetEnds, int[] wordIds,
                           TagScheme scheme, LabelVocabulary labels, boolean labelSubTokens) {
        int n = wordIds.length;
        if (offsetStarts.length != n || offsetEnds.length != n) {
            throw new IllegalArgumentException("offsets and word ids differ in length");
        }
        int[] result = new int[n];
        Arrays.fill(result, IGNORE);
        int outside = labels.index("O");
        int lastSpan = -1;
        for (int t = 0; t < n; t++) {
            int word = wordIds[t];
            if (word < 0) {
                continue; // special token
            }
            if (t > 0 && wordIds[t - 1] == word) {
                if (labelSubTokens) { // continuation sub-token: its word's tag, never a begin
                    int previous = result[t - 1];
                    String tag = labels.label(previous);
                    result[t] = tag.startsWith("B-") ? labels.index("I-" + tag.substring(2)) : previous;
                }
                continue;
            }
            int wordStart = offsetStarts[t];
            int wordEnd = offsetEnds[t];
            for (int u = t + 1; u < n && wordIds[u] == word; u++) {
                wordEnd = offsetEnds[u];
            }
            int span = spanOf(spans, wordStart, wordEnd);
            if (span < 0) {
                result[t] = outside;
            } else {
                EntitySpan entity = spans.get(span);
                result[t] = labels.index(scheme.tag(entity.label(), span != lastSpan));
            }
            lastSpan = span;
        }
        return result;
    }

    private static int spanOf(List<EntitySpan> spans, int start, int end) {
        for (int s = 0; s < spans.size(); s++) {
            EntitySpan span = spans.get(s);
            if (start < span.end() && span.start() < end) {
                return s;
            }
        }
        return -1;
    }
}
