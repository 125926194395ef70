package org.bert4j.bench.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MetricTest {

    @Test
    void throughputUnitsScaleToPerSecond() {
        assertEquals(250.0, new Metric(250, 1, "ops/s").perSecond(), 1e-9);
        assertEquals(2500.0, new Metric(2.5, 1, "ops/ms").perSecond(), 1e-9);
        assertEquals(2.5e6, new Metric(2.5, 1, "ops/us").perSecond(), 1e-3);
    }

    @Test
    void averageTimeUnitsInvertToPerSecond() {
        assertEquals(50.0, new Metric(20, 1, "ms/op").perSecond(), 1e-9);
        assertEquals(0.5, new Metric(2, 1, "s/op").perSecond(), 1e-12);
        assertEquals(1e5, new Metric(10, 1, "us/op").perSecond(), 1e-6);
        assertEquals(1e9, new Metric(1, 1, "ns/op").perSecond(), 1e-3);
    }

    @Test
    void anUnknownUnitIsAnErrorNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Metric(1, 1, "ops/fortnight").perSecond());
        assertEquals("unknown JMH time unit \"fortnight\"", e.getMessage());
    }
}
