package org.bert4j.bench.report;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * bert4j and a peer measured on the same work: the same benchmark class, the same parameters, the same variant.
 *
 * @param variant the peer method's name beyond its subject (e.g. "IdsOnly" for {@code huggingFaceIdsOnly}); empty
 *                for the plain peer
 * @param params  the parameters both ran with
 * @param ours    bert4j's result
 * @param peer    the peer's result
 * @param peerIs  which peer
 */
public record Comparison(String variant, Map<String, String> params, JmhResult ours, JmhResult peer, Subject peerIs) {

    /** bert4j's rate over the peer's (calls per second, whatever the benchmark mode): above 1, bert4j is faster. */
    public double ratio() {
        return ours.primary().perSecond() / peer.primary().perSecond();
    }

    /** The peer's name for legends: "HF tokenizers", or with its variant, "HF tokenizers ids only". */
    public String peerName() {
        if (variant.isEmpty()) {
            return peerIs.label();
        }
        String words = variant.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('_', ' ').trim();
        return peerIs.label() + " " + words.toLowerCase(Locale.ROOT);
    }

    /** The parameters as "name=value" pairs, for labels. */
    public String paramText() {
        return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }
}
