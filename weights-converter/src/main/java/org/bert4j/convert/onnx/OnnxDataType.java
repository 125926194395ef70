package org.bert4j.convert.onnx;

/** ONNX {@code TensorProto.DataType} codes (onnx.proto) for the element types a BERT export uses. */
public enum OnnxDataType {
    FLOAT(1, 4), UINT8(2, 1), INT8(3, 1), UINT16(4, 2), INT16(5, 2), INT32(6, 4), INT64(7, 8), STRING(8, 0),
    BOOL(9, 1), FLOAT16(10, 2), DOUBLE(11, 8), UINT32(12, 4), UINT64(13, 8), BFLOAT16(16, 2);

    private final int code;
    private final int byteSize;

    OnnxDataType(int code, int byteSize) {
        this.code = code;
        this.byteSize = byteSize;
    }

    /** The numeric code stored in {@code TensorProto.data_type}. */
    public int code() {
        return code;
    }

    /** Bytes per element (0 for strings, which have no fixed size). */
    public int byteSize() {
        return byteSize;
    }

    /** The type with {@code code}, or null for codes we do not handle (complex, float8, 4-bit ...). */
    public static OnnxDataType fromCode(int code) {
        for (OnnxDataType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
