package org.bert4j.convert;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** A minimal protobuf encoder for tests: builds ONNX messages field by field, independently of the reader under test. */
public final class ProtoWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public ProtoWriter varint(int field, long value) {
        tag(field, 0);
        rawVarint(value);
        return this;
    }

    public ProtoWriter fixed32(int field, float value) {
        tag(field, 5);
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array());
        return this;
    }

    public ProtoWriter bytes(int field, byte[] value) {
        tag(field, 2);
        rawVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    public ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    public ProtoWriter message(int field, ProtoWriter message) {
        return bytes(field, message.toByteArray());
    }

    /** A packed repeated varint field. */
    public ProtoWriter packedVarints(int field, long... values) {
        ProtoWriter packed = new ProtoWriter();
        for (long v : values) {
            packed.rawVarint(v);
        }
        return bytes(field, packed.toByteArray());
    }

    /** A packed repeated float field. */
    public ProtoWriter packedFloats(int field, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return bytes(field, b.array());
    }

    public ProtoWriter raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        rawVarint(((long) field << 3) | wireType);
    }

    private void rawVarint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    // ---- ONNX messages (field numbers from onnx.proto) ----

    /** TensorProto with raw_data. */
    public static ProtoWriter tensorRaw(String name, int dataType, long[] dims, byte[] raw) {
        ProtoWriter t = new ProtoWriter();
        for (long d : dims) {
            t.varint(1, d);
        }
        return t.varint(2, dataType).string(8, name).bytes(9, raw);
    }

    /** NodeProto. */
    public static ProtoWriter node(String name, String opType, String[] inputs, String[] outputs, ProtoWriter... attributes) {
        ProtoWriter n = new ProtoWriter();
        for (String i : inputs) {
            n.string(1, i);
        }
        for (String o : outputs) {
            n.string(2, o);
        }
        n.string(3, name).string(4, opType);
        for (ProtoWriter a : attributes) {
            n.message(5, a);
        }
        return n;
    }

    /** AttributeProto of type INTS. */
    public static ProtoWriter intsAttribute(String name, long... values) {
        ProtoWriter a = new ProtoWriter().string(1, name);
        for (long v : values) {
            a.varint(8, v);
        }
        return a.varint(20, 7);
    }

    /** AttributeProto of type INT. */
    public static ProtoWriter intAttribute(String name, long value) {
        return new ProtoWriter().string(1, name).varint(3, value).varint(20, 2);
    }

    /** AttributeProto of type TENSOR. */
    public static ProtoWriter tensorAttribute(String name, ProtoWriter tensor) {
        return new ProtoWriter().string(1, name).message(5, tensor).varint(20, 4);
    }

    /** ValueInfoProto naming a tensor value of element type {@code elemType}. */
    public static ProtoWriter valueInfo(String name, int elemType) {
        ProtoWriter tensorType = new ProtoWriter().varint(1, elemType);
        ProtoWriter type = new ProtoWriter().message(1, tensorType);
        return new ProtoWriter().string(1, name).message(2, type);
    }
}
