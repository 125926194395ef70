package org.bert4j.engine.reference;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReferenceBertTest {

    @Test
    void erfMatchesTabulatedValuesToDoublePrecision() {
        // Values from Abramowitz & Stegun table 7.1 / high-precision tables.
        assertEquals(0.0, ReferenceBert.erf(0.0), 0);
        assertEquals(0.5204998778130465, ReferenceBert.erf(0.5), 1e-15);
        assertEquals(0.8427007929497149, ReferenceBert.erf(1.0), 1e-15);
        assertEquals(-0.9953222650189527, ReferenceBert.erf(-2.0), 1e-15);
        assertEquals(0.9995930479825550, ReferenceBert.erf(2.5), 1e-14);
        assertEquals(0.9999779095030014, ReferenceBert.erf(3.0), 1e-14);
        assertEquals(0.9999999845827421, ReferenceBert.erf(4.0), 1e-15);
        assertEquals(1.0, ReferenceBert.erf(7.0), 0);
    }

    @Test
    void erfIsContinuousWhereTheSeriesHandsOverToTheContinuedFraction() {
        double below = ReferenceBert.erf(Math.nextDown(2.5));
        double above = ReferenceBert.erf(2.5);
        assertEquals(above, below, 1e-14);
    }
}
