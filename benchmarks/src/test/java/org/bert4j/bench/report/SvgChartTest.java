package org.bert4j.bench.report;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SvgChartTest {

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static SvgChart twoPanels() {
        return new SvgChart("bert4j <vs> \"peers\" & co")
                .add(new SvgChart.Panel("Whole model", "sentences/s",
                        List.of(new SvgChart.Group("MiniLM 32×128", List.of(
                                        new SvgChart.Bar("bert4j", 60, "60 sentences/s"),
                                        new SvgChart.Bar("onnxruntime", 50, "50 sentences/s")), "×1.20"),
                                new SvgChart.Group("bert-base 8×128", List.of(
                                        new SvgChart.Bar("bert4j", 4, "4 sentences/s")), "40% of peak"))))
                .add(new SvgChart.Panel("Tokenizer", "MB/s", List.of(new SvgChart.Group("news", List.of(
                        new SvgChart.Bar("bert4j", 30, "30 MB/s"),
                        new SvgChart.Bar("HF tokenizers", 20, "20 MB/s")), "×1.50"))));
    }

    @Test
    void theChartIsWellFormedSvg() throws Exception {
        Document doc = parse(twoPanels().render());

        assertEquals("svg", doc.getDocumentElement().getLocalName());
        assertEquals("http://www.w3.org/2000/svg", doc.getDocumentElement().getNamespaceURI());
    }

    @Test
    void everyBarIsARectOfItsSeriesColourScaledWithinItsGroup() throws Exception {
        Document doc = parse(twoPanels().render());

        NodeList rects = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect");
        List<org.w3c.dom.Element> bars = new ArrayList<>();
        for (int i = 0; i < rects.getLength(); i++) {
            org.w3c.dom.Element r = (org.w3c.dom.Element) rects.item(i);
            if (r.getElementsByTagNameNS("*", "title").getLength() == 1) {
                bars.add(r);
            }
        }
        assertEquals(5, bars.size(), "one rect with a tooltip per bar");
        int full = Integer.parseInt(bars.get(0).getAttribute("width"));
        assertEquals(Math.round(full * 50 / 60.0), Integer.parseInt(bars.get(1).getAttribute("width")));
        assertEquals(full, Integer.parseInt(bars.get(2).getAttribute("width")), "a lone bar fills its group's scale");
        assertEquals(bars.get(0).getAttribute("fill"), bars.get(2).getAttribute("fill"), "bert4j keeps its colour");
        assertTrue(!bars.get(0).getAttribute("fill").equals(bars.get(1).getAttribute("fill")));
    }

    @Test
    void textIsEscaped() throws Exception {
        String svg = twoPanels().render();

        assertTrue(svg.contains("bert4j &lt;vs&gt; &quot;peers&quot; &amp; co"), svg);
        assertEquals("bert4j <vs> \"peers\" & co",
                parse(svg).getElementsByTagNameNS("*", "text").item(0).getTextContent());
    }
}
