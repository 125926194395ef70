package org.bert4j.convert.onnx;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over one protobuf message in the binary wire format
 * (https://protobuf.dev/programming-guides/encoding/): a sequence of (tag, value) pairs where the tag's low
 * three bits say how the value is encoded. Length-delimited values come back as slices of the underlying
 * segment, so a 90 MB initializer is never copied. Every read is bounds-checked; a malformed message
 * throws {@link MalformedProtoException}.
 */
final class ProtoReader {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment data;
    private long position;
    private int tag;

    ProtoReader(MemorySegment data) {
        this.data = data;
    }

    /** Advances to the next field; false at the end of the message. */
    boolean next() {
        if (position >= data.byteSize()) {
            return false;
        }
        long key = readVarint();
        int wireType = (int) (key & 7);
        long field = key >>> 3;
        if (field == 0 || field > 0x1FFFFFFF) {
            throw new MalformedProtoException("invalid field number " + field + " at byte " + position);
        }
        if (wireType != VARINT && wireType != FIXED64 && wireType != LENGTH_DELIMITED && wireType != FIXED32) {
            throw new MalformedProtoException("unsupported wire type " + wireType + " (groups are not used by ONNX) at byte " + position);
        }
        tag = (int) key;
        return true;
    }

    int field() {
        return tag >>> 3;
    }

    int wireType() {
        return tag & 7;
    }

    long varint() {
        expect(VARINT);
        return readVarint();
    }

    int int32() {
        return (int) varint();
    }

    float fixed32Float() {
        expect(FIXED32);
        need(4);
        float v = Float.intBitsToFloat(data.get(I32, position));
        position += 4;
        return v;
    }

    MemorySegment bytes() {
        expect(LENGTH_DELIMITED);
        long length = readVarint();
        if (length < 0 || length > data.byteSize() - position) {
            throw new MalformedProtoException("a length of " + length + " at byte " + position
                    + " runs past the end of its message (" + (data.byteSize() - position) + " bytes left)");
        }
        MemorySegment slice = data.asSlice(position, length);
        position += length;
        return slice;
    }

    String string() {
        return new String(bytes().toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    ProtoReader message() {
        return new ProtoReader(bytes());
    }

    /** Skips the current field's value, whatever its wire type. */
    void skip() {
        switch (wireType()) {
            case VARINT -> readVarint();
            case FIXED64 -> { need(8); position += 8; }
            case FIXED32 -> { need(4); position += 4; }
            case LENGTH_DELIMITED -> bytes();
            default -> throw new AssertionError();
        }
    }

    /**
     * A repeated int64 field, which proto3 writes packed (one length-delimited run of varints) and proto2
     * writes as one tagged varint per element; {@code sink} receives each value either way.
     */
    void int64s(LongSink sink) {
        if (wireType() == LENGTH_DELIMITED) {
            ProtoReader packed = new ProtoReader(bytes());
            while (packed.position < packed.data.byteSize()) {
                sink.accept(packed.readVarint());
            }
        } else {
            sink.accept(varint());
        }
    }

    /** A repeated fixed32 field as raw little-endian bytes: packed, the run itself; unpacked, one element. */
    MemorySegment fixed32s() {
        if (wireType() == LENGTH_DELIMITED) {
            MemorySegment run = bytes();
            if (run.byteSize() % 4 != 0) {
                throw new MalformedProtoException("a packed run of 32-bit values has " + run.byteSize() + " bytes");
            }
            return run;
        }
        expect(FIXED32);
        need(4);
        MemorySegment one = data.asSlice(position, 4);
        position += 4;
        return one;
    }

    /** A repeated fixed64 field as raw little-endian bytes (packed run or one element). */
    MemorySegment fixed64s() {
        if (wireType() == LENGTH_DELIMITED) {
            MemorySegment run = bytes();
            if (run.byteSize() % 8 != 0) {
                throw new MalformedProtoException("a packed run of 64-bit values has " + run.byteSize() + " bytes");
            }
            return run;
        }
        expect(FIXED64);
        need(8);
        MemorySegment one = data.asSlice(position, 8);
        position += 8;
        return one;
    }

    long fixed64() {
        expect(FIXED64);
        need(8);
        long v = data.get(I64, position);
        position += 8;
        return v;
    }

    /** Receives the elements of a repeated integer field. */
    @FunctionalInterface
    interface LongSink {
        void accept(long value);
    }

    private long readVarint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            need(1);
            byte b = data.get(ValueLayout.JAVA_BYTE, position++);
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new MalformedProtoException("a varint longer than 10 bytes at byte " + position);
    }

    private void need(long n) {
        if (position + n > data.byteSize()) {
            throw new MalformedProtoException("the message ends in the middle of a value at byte " + position);
        }
    }

    private void expect(int wireType) {
        if (wireType() != wireType) {
            throw new MalformedProtoException("field " + field() + " has wire type " + wireType() + ", expected " + wireType);
        }
    }
}
