package org.bert4j.convert.onnx;

import java.util.List;

/**
 * One attribute of an ONNX node ({@code AttributeProto}); only the field its {@code type} names is meaningful.
 * Graph-valued attributes (control flow) are not kept: a BERT export has none.
 */
public record OnnxAttribute(String name, Type type, float f, long i, String s, OnnxTensor t, float[] floats, long[] ints,
                            List<String> strings) {

    /** {@code AttributeProto.AttributeType}. */
    public enum Type { UNDEFINED, FLOAT, INT, STRING, TENSOR, GRAPH, FLOATS, INTS, STRINGS, TENSORS, GRAPHS, SPARSE_TENSOR,
        SPARSE_TENSORS, TYPE_PROTO, TYPE_PROTOS, OTHER }

    static Type typeOf(int code) {
        return switch (code) {
            case 0 -> Type.UNDEFINED; case 1 -> Type.FLOAT; case 2 -> Type.INT; case 3 -> Type.STRING; case 4 -> Type.TENSOR;
            case 5 -> Type.GRAPH; case 6 -> Type.FLOATS; case 7 -> Type.INTS; case 8 -> Type.STRINGS; case 9 -> Type.TENSORS;
            case 10 -> Type.GRAPHS; case 11 -> Type.SPARSE_TENSOR; case 12 -> Type.SPARSE_TENSORS; case 13 -> Type.TYPE_PROTO;
            case 14 -> Type.TYPE_PROTOS; default -> Type.OTHER;
        };
    }
}
