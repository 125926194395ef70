package org.bert4j.convert.torch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bert4j.convert.ConversionException;

/**
 * A pickle reader that cannot run code: it understands the opcodes a PyTorch state dict is written with
 * (https://github.com/python/cpython/blob/main/Lib/pickletools.py documents each one) and builds plain Java
 * values — strings, numbers, tuples, lists, maps. The only "calls" are to globals on an allow-list, and those
 * are handed to a {@link Reducer} written in Java.
 *
 * <p>Before evaluating anything, a first pass walks every opcode: an opcode outside the supported set, or a
 * GLOBAL outside the allow-list ({@code os.system}, {@code builtins.eval}, ...), refuses the whole file.
 */
final class RestrictedUnpickler {

    /** A Python global ({@code module.name}) as pickled; never resolved to anything but the Reducer's Java code. */
    record Global(String module, String name) {
        String qualified() {
            return module + "." + name;
        }
    }

    /** A Python tuple. */
    record Tuple(List<Object> items) {}

    /** Python's None. */
    enum None { NONE }

    /** Evaluates a call of an allowed global (REDUCE). */
    @FunctionalInterface
    interface Reducer {
        Object call(Global callable, List<Object> args) throws ConversionException;
    }

    /** Resolves a persistent id (BINPERSID): torch uses it for tensor storages kept outside the pickle. */
    @FunctionalInterface
    interface PersistentLoader {
        Object load(Object pid) throws ConversionException;
    }

    private static final Object MARK = new Object();
    private static final int MAX_MEMO = 10_000_000;

    private final String source;
    private final ByteBuffer in;
    private final Set<String> allowed;
    private final Reducer reducer;
    private final PersistentLoader persistent;

    RestrictedUnpickler(String source, byte[] pickle, Set<String> allowedGlobals, Reducer reducer, PersistentLoader persistent) {
        this.source = source;
        this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
        this.allowed = allowedGlobals;
        this.reducer = reducer;
        this.persistent = persistent;
    }

    /** Checks every opcode and global, then evaluates the pickle and returns its value. */
    Object load() throws ConversionException {
        run(false);
        in.position(0);
        return run(true);
    }

    private Object run(boolean execute) throws ConversionException {
        List<Object> stack = new ArrayList<>();
        List<Integer> marks = new ArrayList<>();
        Map<Long, Object> memo = new HashMap<>();
        try {
            while (true) {
                if (!in.hasRemaining()) {
                    throw error("the pickle ends without a STOP opcode (truncated file?)");
                }
                int at = in.position();
                int op = in.get() & 0xFF;
                switch (op) {
                    case 0x80 -> { // PROTO
                        int protocol = in.get() & 0xFF;
                        if (protocol > 5) {
                            throw error("pickle protocol " + protocol + " is not supported");
                        }
                    }
                    case 0x95 -> in.getLong(); // FRAME: a length hint only
                    case '.' -> { // STOP
                        if (!execute) {
                            return null;
                        }
                        if (stack.size() != 1 || !marks.isEmpty()) {
                            throw error("the pickle stops with " + stack.size() + " values on the stack");
                        }
                        return stack.getFirst();
                    }
                    case '(' -> { if (execute) { marks.add(stack.size()); stack.add(MARK); } }
                    case '0' -> { if (execute) { pop(stack); } }
                    case '1' -> { if (execute) { popMark(stack, marks); } }
                    case '2' -> { if (execute) { stack.add(peek(stack)); } }
                    case 'N' -> push(execute, stack, None.NONE);
                    case 0x88 -> push(execute, stack, Boolean.TRUE);
                    case 0x89 -> push(execute, stack, Boolean.FALSE);
                    case 'J' -> push(execute, stack, (long) in.getInt());
                    case 'K' -> push(execute, stack, (long) (in.get() & 0xFF));
                    case 'M' -> push(execute, stack, (long) (in.getShort() & 0xFFFF));
                    case 0x8a -> push(execute, stack, littleEndianLong(length(in.get() & 0xFF)));
                    case 0x8b -> push(execute, stack, littleEndianLong(length(in.getInt())));
                    case 'G' -> push(execute, stack, ByteBuffer.wrap(bytes(8)).order(ByteOrder.BIG_ENDIAN).getDouble());
                    case 'X' -> push(execute, stack, new String(bytes(length(in.getInt())), StandardCharsets.UTF_8));
                    case 0x8c -> push(execute, stack, new String(bytes(in.get() & 0xFF), StandardCharsets.UTF_8));
                    case 0x8d -> push(execute, stack, new String(bytes(length(in.getLong())), StandardCharsets.UTF_8));
                    case 'T' -> push(execute, stack, new String(bytes(length(in.getInt())), StandardCharsets.ISO_8859_1));
                    case 'U' -> push(execute, stack, new String(bytes(in.get() & 0xFF), StandardCharsets.ISO_8859_1));
                    case 'B' -> push(execute, stack, bytes(length(in.getInt())));
                    case 'C' -> push(execute, stack, bytes(in.get() & 0xFF));
                    case ')' -> push(execute, stack, new Tuple(List.of()));
                    case 0x85, 0x86, 0x87 -> {
                        if (execute) {
                            int n = op - 0x84;
                            List<Object> items = new ArrayList<>(stack.subList(size(stack, n), stack.size()));
                            truncate(stack, stack.size() - n);
                            stack.add(new Tuple(items));
                        }
                    }
                    case 't' -> { if (execute) { stack.add(new Tuple(popMark(stack, marks))); } }
                    case ']' -> push(execute, stack, new ArrayList<>());
                    case 'l' -> { if (execute) { stack.add(new ArrayList<>(popMark(stack, marks))); } }
                    case 'a' -> { if (execute) { Object v = pop(stack); list(peek(stack)).add(v); } }
                    case 'e' -> { if (execute) { List<Object> items = popMark(stack, marks); list(peek(stack)).addAll(items); } }
                    case '}' -> push(execute, stack, new LinkedHashMap<>());
                    case 'd' -> { if (execute) { Map<Object, Object> m = new LinkedHashMap<>(); putAll(m, popMark(stack, marks)); stack.add(m); } }
                    case 's' -> { if (execute) { Object v = pop(stack); Object k = key(pop(stack)); map(peek(stack)).put(k, v); } }
                    case 'u' -> { if (execute) { List<Object> items = popMark(stack, marks); putAll(map(peek(stack)), items); } }
                    case 'q' -> memoPut(execute, memo, stack, in.get() & 0xFF);
                    case 'r' -> memoPut(execute, memo, stack, in.getInt() & 0xFFFFFFFFL);
                    case 0x94 -> memoPut(execute, memo, stack, memo.size());
                    case 'h' -> memoGet(execute, memo, stack, in.get() & 0xFF);
                    case 'j' -> memoGet(execute, memo, stack, in.getInt() & 0xFFFFFFFFL);
                    case 'c' -> { // GLOBAL "module\nname\n": checked in the first pass, before anything runs
                        Global g = new Global(line(), line());
                        requireAllowed(g);
                        push(execute, stack, g);
                    }
                    case 0x93 -> { // STACK_GLOBAL: names come from the stack, so only the evaluating pass sees them
                        if (execute) {
                            String name = string(pop(stack));
                            String module = string(pop(stack));
                            Global g = new Global(module, name);
                            requireAllowed(g);
                            stack.add(g);
                        }
                    }
                    case 'R' -> { // REDUCE: callable(*args), only for allowed globals, evaluated by Java code
                        if (execute) {
                            Object args = pop(stack);
                            Object callable = pop(stack);
                            if (!(callable instanceof Global g) || !(args instanceof Tuple t)) {
                                throw error("REDUCE of " + describe(callable) + " with " + describe(args) + " at byte " + at
                                        + ": only allowed globals may be called");
                            }
                            stack.add(reducer.call(g, t.items()));
                        }
                    }
                    case 'b' -> { // BUILD: object state (e.g. a state dict's _metadata) is not needed and is dropped
                        if (execute) {
                            pop(stack);
                            peek(stack);
                        }
                    }
                    case 'Q' -> { if (execute) { stack.add(persistent.load(pop(stack))); } }
                    default -> throw error(String.format("opcode 0x%02x ('%s') at byte %d is not one a state dict uses; refusing the file",
                            op, op >= 32 && op < 127 ? Character.toString(op) : "?", at));
                }
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw error("the pickle ends in the middle of an opcode (truncated file?)");
        }
    }

    private void requireAllowed(Global g) throws ConversionException {
        if (!allowed.contains(g.qualified())) {
            throw error("refusing to load: the pickle references " + g.qualified()
                    + ", which is not on the allow-list of a PyTorch state dict (" + String.join(", ", new java.util.TreeSet<>(allowed))
                    + "). Loading it with torch.load could run arbitrary code.");
        }
    }

    private ConversionException error(String message) {
        return new ConversionException(source + ": " + message);
    }

    private void push(boolean execute, List<Object> stack, Object value) {
        if (execute) {
            stack.add(value);
        }
    }

    private Object pop(List<Object> stack) throws ConversionException {
        Object v = peek(stack);
        stack.removeLast();
        return v;
    }

    private Object peek(List<Object> stack) throws ConversionException {
        if (stack.isEmpty() || stack.getLast() == MARK) {
            throw error("malformed pickle: an opcode needs a value but the stack is empty");
        }
        return stack.getLast();
    }

    private int size(List<Object> stack, int n) throws ConversionException {
        int from = stack.size() - n;
        if (from < 0 || stack.subList(from, stack.size()).contains(MARK)) {
            throw error("malformed pickle: a tuple opcode needs " + n + " values");
        }
        return from;
    }

    private static void truncate(List<Object> stack, int size) {
        stack.subList(size, stack.size()).clear();
    }

    private List<Object> popMark(List<Object> stack, List<Integer> marks) throws ConversionException {
        if (marks.isEmpty()) {
            throw error("malformed pickle: an opcode needs a MARK that was never set");
        }
        int mark = marks.removeLast();
        List<Object> items = new ArrayList<>(stack.subList(mark + 1, stack.size()));
        truncate(stack, mark);
        return items;
    }

    private void memoPut(boolean execute, Map<Long, Object> memo, List<Object> stack, long key) throws ConversionException {
        if (execute) {
            if (memo.size() >= MAX_MEMO) {
                throw error("the pickle's memo grows beyond " + MAX_MEMO + " entries");
            }
            memo.put(key, peek(stack));
        }
    }

    private void memoGet(boolean execute, Map<Long, Object> memo, List<Object> stack, long key) throws ConversionException {
        if (execute) {
            Object v = memo.get(key);
            if (v == null) {
                throw error("malformed pickle: memo entry " + key + " is read before it is written");
            }
            stack.add(v);
        }
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) throws ConversionException {
        if (o instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw error("malformed pickle: APPEND to " + describe(o));
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> map(Object o) throws ConversionException {
        if (o instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw error("malformed pickle: SETITEM on " + describe(o));
    }

    private void putAll(Map<Object, Object> m, List<Object> items) throws ConversionException {
        if (items.size() % 2 != 0) {
            throw error("malformed pickle: odd number of items for a dict");
        }
        for (int i = 0; i < items.size(); i += 2) {
            m.put(key(items.get(i)), items.get(i + 1));
        }
    }

    /**
     * A dict key, which must be a plain value: a state dict is keyed by names (and its {@code _metadata} by module
     * paths). Python refuses lists and dicts as keys (they are unhashable); a hostile pickle could still make a list
     * that holds itself (through the memo) and use it as a key, whose Java hashCode would recurse without end.
     */
    private Object key(Object o) throws ConversionException {
        if (o instanceof String || o instanceof Long || o instanceof Double || o instanceof Boolean || o == None.NONE) {
            return o;
        }
        throw error("malformed pickle: a dict key is " + describe(o) + "; a state dict's keys are names");
    }

    private String string(Object o) throws ConversionException {
        if (o instanceof String s) {
            return s;
        }
        throw error("malformed pickle: STACK_GLOBAL with " + describe(o) + " instead of a name");
    }

    private int length(long n) throws ConversionException {
        if (n < 0 || n > in.remaining()) {
            throw error("a length of " + n + " at byte " + in.position() + " runs past the end of the pickle (" + in.remaining() + " bytes left)");
        }
        return (int) n;
    }

    private byte[] bytes(int n) throws ConversionException {
        byte[] b = new byte[length(n)];
        in.get(b);
        return b;
    }

    private long littleEndianLong(int n) throws ConversionException {
        if (n > 8) {
            throw error("an integer of " + n + " bytes does not fit 64 bits");
        }
        byte[] b = bytes(n);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        if (n > 0 && n < 8 && (b[n - 1] & 0x80) != 0) {
            v |= -1L << (8 * n); // sign-extend two's complement
        }
        return v;
    }

    private String line() throws ConversionException {
        int start = in.position();
        for (int i = start; i < in.limit() && i - start < 256; i++) {
            if (in.get(i) == '\n') {
                byte[] b = new byte[i - start];
                in.get(b);
                in.get();
                return new String(b, StandardCharsets.UTF_8);
            }
        }
        throw error("a GLOBAL name at byte " + start + " has no end of line");
    }

    static String describe(Object o) {
        if (o == null) {
            return "nothing";
        }
        if (o instanceof Global g) {
            return g.qualified();
        }
        return o.getClass().getSimpleName();
    }
}
