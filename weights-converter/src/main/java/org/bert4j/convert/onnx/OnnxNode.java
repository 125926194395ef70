package org.bert4j.convert.onnx;

import java.util.List;
import java.util.Map;

/** One operator of an ONNX graph ({@code NodeProto}): its name, op type, the value names it reads and writes. */
public record OnnxNode(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                       Map<String, OnnxAttribute> attributes) {

    /** The attribute called {@code name}, or null. */
    public OnnxAttribute attribute(String name) {
        return attributes.get(name);
    }

    /** Output {@code i}, or the empty string when the node has fewer outputs (a malformed graph may have none). */
    public String output(int i) {
        return i < outputs.size() ? outputs.get(i) : "";
    }

    /** Input {@code i}, or the empty string when the node has fewer inputs (ONNX's "omitted optional input"). */
    public String input(int i) {
        return i < inputs.size() ? inputs.get(i) : "";
    }
}
