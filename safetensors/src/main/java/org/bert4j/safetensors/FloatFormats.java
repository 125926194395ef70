package org.bert4j.safetensors;

/** Conversions between F32 and the 16-bit float formats (IEEE half is in the JDK; bfloat16 is here). */
public final class FloatFormats {

    private FloatFormats() {}

    /** Widens a bfloat16 (the top 16 bits of an F32) exactly to F32. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** Narrows F32 to bfloat16, rounding to nearest even as PyTorch does; NaN stays a (quiet) NaN. */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    /** Widens an IEEE half exactly to F32. */
    public static float f16ToFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    /** Narrows F32 to IEEE half, rounding to nearest even. */
    public static short floatToF16(float value) {
        return Float.floatToFloat16(value);
    }
}
