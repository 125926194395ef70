package org.bert4j.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A hand-written SVG bar chart: panels stacked top to bottom, each a list of groups (one per shape or input), each
 * group a few horizontal bars (bert4j beside its peer) with their values written at the bar's end and a note (the
 * ratio) on the right. Bars within a group share one scale; groups do not, because a 1-sentence latency batch and a
 * 32-sentence batch differ by two orders of magnitude and one axis would flatten the small ones.
 */
public final class SvgChart {

    /** One bar: which series it belongs to (its colour and legend entry), its length, its printed value. */
    public record Bar(String series, double value, String text) { }

    /** Bars measured on the same work, with a note for the right margin (e.g. "bert4j / onnxruntime ×1.21"). */
    public record Group(String label, List<Bar> bars, String note) { }

    /** A titled panel of groups. */
    public record Panel(String title, String subtitle, List<Group> groups) { }

    private static final String[] COLOURS = {"#e8590c", "#1971c2", "#2f9e44", "#9c36b5", "#868e96"};
    private static final int WIDTH = 900;
    private static final int LABEL_WIDTH = 200;
    // Bars end at 560, their value text by ~710, leaving the right margin to the group notes.
    private static final int BAR_WIDTH = 360;
    private static final int BAR_HEIGHT = 16;
    private static final int BAR_GAP = 3;
    private static final int GROUP_GAP = 12;

    private final List<Panel> panels = new ArrayList<>();
    private final String title;

    /** An empty chart under a title. */
    public SvgChart(String title) {
        this.title = title;
    }

    /** Adds a panel below the previous ones; returns this chart. */
    public SvgChart add(Panel panel) {
        panels.add(panel);
        return this;
    }

    /** The SVG document. */
    public String render() {
        Set<String> series = new LinkedHashSet<>();
        for (Panel p : panels) {
            for (Group g : p.groups()) {
                for (Bar b : g.bars()) {
                    series.add(b.series());
                }
            }
        }
        List<String> seriesOrder = List.copyOf(series);
        StringBuilder body = new StringBuilder();
        int y = 34;
        text(body, 16, y, "title", title);
        y += 22;
        int x = 16;
        for (String s : seriesOrder) {
            body.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n",
                    x, y - 11, colour(seriesOrder, s)));
            text(body, x + 17, y, "legend", s);
            x += 30 + 8 * s.length();
        }
        y += 14;
        for (Panel p : panels) {
            y += 22;
            text(body, 16, y, "panel", p.title());
            y += 17;
            text(body, 16, y, "note", p.subtitle());
            y += 12;
            for (Group g : p.groups()) {
                double max = g.bars().stream().mapToDouble(Bar::value).filter(Double::isFinite).max().orElse(1);
                int groupHeight = g.bars().size() * (BAR_HEIGHT + BAR_GAP) - BAR_GAP;
                int top = y + GROUP_GAP;
                text(body, LABEL_WIDTH - 10, top + groupHeight / 2 + 5, "label", g.label());
                int barY = top;
                for (Bar b : g.bars()) {
                    double fraction = max > 0 && Double.isFinite(b.value()) ? b.value() / max : 0;
                    int length = (int) Math.round(Math.max(fraction, 0) * BAR_WIDTH);
                    body.append(String.format(Locale.ROOT,
                            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>%s: %s</title></rect>%n",
                            LABEL_WIDTH, barY, length, BAR_HEIGHT, colour(seriesOrder, b.series()), escape(b.series()),
                            escape(b.text())));
                    text(body, LABEL_WIDTH + length + 5, barY + BAR_HEIGHT - 4, "value", b.text());
                    barY += BAR_HEIGHT + BAR_GAP;
                }
                text(body, WIDTH - 12, top + groupHeight / 2 + 5, "ratio", g.note());
                y = top + groupHeight;
            }
            y += 10;
        }
        int height = y + 16;
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\">%n", WIDTH, height, WIDTH, height)
                + "<style>\n"
                + "  .title { font-size: 18px; font-weight: bold; }\n"
                + "  .panel { font-size: 15px; font-weight: bold; }\n"
                + "  .note { font-size: 11px; fill: #495057; }\n"
                + "  .legend, .value { font-size: 12px; }\n"
                + "  .label { font-size: 12px; text-anchor: end; }\n"
                + "  .ratio { font-size: 12px; font-weight: bold; text-anchor: end; }\n"
                + "</style>\n"
                + String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height)
                + body
                + "</svg>\n";
    }

    private static String colour(List<String> series, String name) {
        return COLOURS[Math.min(series.indexOf(name), COLOURS.length - 1)];
    }

    private static void text(StringBuilder out, int x, int y, String cssClass, String text) {
        out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"%s\">%s</text>%n", x, y, cssClass,
                escape(text)));
    }

    /** Escapes the five characters XML reserves. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
