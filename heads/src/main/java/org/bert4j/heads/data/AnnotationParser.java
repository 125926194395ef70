package org.bert4j.heads.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the seed notebook's annotation cells: a Python-like list of (entity text, LABEL) tuples, e.g.
 * {@code [(‘4 Million’, ‘AMOUNT’), (‘U.S.’, ‘COUNTRY’)]}.
 *
 * <p>The cells were written by hand, so the quotes vary: curly ‘ ’ or “ ”, straight ' or ", and sometimes a
 * closing quote used to open ({@code ’63-year-old woman’}). A string therefore opens at any quote character
 * and closes at the first quote character that is followed (after spaces) by the comma or parenthesis that
 * must come next. That is what lets an apostrophe live inside an entity ({@code ‘toddler’s toothbrush’}). In
 * straight-quoted strings a backslash escapes the next character, as in a Python literal.
 */
public final class AnnotationParser {

    private static final String QUOTES = "‘’'\"“”";

    private AnnotationParser() {
    }

    /** Parses one cell; an empty or blank cell means no annotations. Malformed input → IllegalArgumentException. */
    public static List<Annotation> parse(String cell) {
        return new Cursor(cell).list();
    }

    private static final class Cursor {
        private final String s;
        private int pos;

        Cursor(String s) {
            this.s = s;
        }

        List<Annotation> list() {
            List<Annotation> annotations = new ArrayList<>();
            skipSpaces();
            if (pos == s.length()) {
                return annotations;
            }
            expect('[');
            skipSpaces();
            if (peek() == ']') {
                pos++;
                return end(annotations);
            }
            while (true) {
                annotations.add(tuple());
                skipSpaces();
                char c = next("',' or ']'");
                if (c == ']') {
                    return end(annotations);
                }
                if (c != ',') {
                    throw error("expected ',' or ']' after a tuple, found '" + c + "'");
                }
                skipSpaces();
                if (peek() == ']') { // a trailing comma, as Python allows
                    pos++;
                    return end(annotations);
                }
            }
        }

        private List<Annotation> end(List<Annotation> annotations) {
            skipSpaces();
            if (pos != s.length()) {
                throw error("unexpected text after the closing ']'");
            }
            return annotations;
        }

        private Annotation tuple() {
            expect('(');
            skipSpaces();
            String text = string(',');
            skipSpaces();
            expect(',');
            skipSpaces();
            String label = string(')');
            skipSpaces();
            if (peek() == ',') { // ('x', 'LABEL',) is still a pair in Python
                pos++;
                skipSpaces();
            }
            expect(')');
            if (text.isBlank()) {
                throw error("empty or blank entity text");
            }
            if (label.isBlank()) {
                throw error("empty label for entity '" + text + "'");
            }
            return new Annotation(text, label.strip());
        }

        /** A quoted string that ends at a quote followed by {@code terminator} (spaces allowed in between). */
        private String string(char terminator) {
            char open = next("a quoted string");
            if (QUOTES.indexOf(open) < 0) {
                throw error("expected a quoted string, found '" + open + "'");
            }
            boolean straight = open == '\'' || open == '"';
            StringBuilder value = new StringBuilder();
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (straight && c == '\\' && pos + 1 < s.length()) {
                    value.append(s.charAt(pos + 1));
                    pos += 2;
                    continue;
                }
                if (QUOTES.indexOf(c) >= 0 && closesBefore(pos + 1, terminator)) {
                    pos++;
                    return value.toString();
                }
                value.append(c);
                pos++;
            }
            throw error("a quoted string is never closed");
        }

        private boolean closesBefore(int from, char terminator) {
            int i = from;
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            return i < s.length() && (s.charAt(i) == terminator || (terminator == ')' && s.charAt(i) == ','));
        }

        private void expect(char c) {
            char found = next("'" + c + "'");
            if (found != c) {
                throw error("expected '" + c + "', found '" + found + "'");
            }
        }

        private char next(String what) {
            if (pos >= s.length()) {
                throw error("expected " + what + ", found the end");
            }
            return s.charAt(pos++);
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        private void skipSpaces() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private IllegalArgumentException error(String problem) {
            return new IllegalArgumentException("malformed annotations at character " + pos + ": " + problem
                    + " in " + s);
        }
    }
}
