package dev.tokenauthority.sidecar.validation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON (RFC 8259) parser for JOSE headers, JWT claims and JWK sets.
 *
 * <p>Why not a general-purpose library: two of its rules are security requirements that common parsers do not
 * enforce by default.
 * <ul>
 *   <li><b>Duplicate member names are rejected.</b> RFC 7515 section 5.2 and RFC 7519 section 4 say a JOSE header or
 *   claims set with duplicate names must be rejected (or only the last one used); different parsers picking different
 *   duplicates is a known way to make a verifier and an application disagree about a token (RFC 8725 section 2.8).
 *   Names are compared after unescaping, so {@code "sub"} and {@code "\u0073ub"} are duplicates.</li>
 *   <li><b>Nesting is bounded</b> ({@value #MAX_DEPTH} levels), so no input can exhaust the stack.</li>
 * </ul>
 * It is also on the verification hot path (every cache miss), where a small hand-written parser over a
 * {@code String} avoids a tree model and reflection.
 *
 * <p>Also rejected: trailing non-whitespace, a byte-order mark, unescaped control characters, lone surrogates in
 * {@code \\u} escapes (RFC 8259 section 8.2), leading zeros and every other syntax error. Values map to:
 * object to {@code Map<String, Object>}, array to {@code List<Object>}, string to {@code String}, an integer that fits
 * in a long to {@code Long}, any other number to {@link JsonDecimal} (kept as text, so a hostile exponent costs
 * nothing), {@code true}/{@code false} to {@code Boolean} and {@code null} to {@link #NULL}.
 */
final class StrictJsonParser {

    /** The deepest nesting of objects and arrays accepted; JOSE headers and our claims need 2. */
    static final int MAX_DEPTH = 16;

    /** Stands for JSON {@code null}, so that "absent" (a map returning null) and "null" stay distinct. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** A number that is not an integer fitting in a long, kept as its JSON text. */
    record JsonDecimal(String text) {
    }

    /** Thrown on any syntax or policy violation; carries no stack trace because it is routine. */
    static final class JsonSyntaxException extends RuntimeException {
        JsonSyntaxException(String message) {
            super(message, null, false, false);
        }
    }

    private final String text;
    private int position;
    private int depth;

    private StrictJsonParser(String text) {
        this.text = text;
    }

    /** Parses a complete JSON text. */
    static Object parse(String text) {
        StrictJsonParser parser = new StrictJsonParser(text);
        parser.skipWhitespace();
        Object value = parser.value();
        parser.skipWhitespace();
        if (parser.position != text.length()) {
            throw new JsonSyntaxException("trailing characters after JSON value");
        }
        return value;
    }

    /** Parses a complete JSON text that must be an object. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parseObject(String text) {
        Object value = parse(text);
        if (!(value instanceof Map)) {
            throw new JsonSyntaxException("expected a JSON object");
        }
        return (Map<String, Object>) value;
    }

    private Object value() {
        if (position >= text.length()) {
            throw new JsonSyntaxException("unexpected end of input");
        }
        char c = text.charAt(position);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", NULL);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw new JsonSyntaxException("unexpected character");
        }
    }

    private Map<String, Object> object() {
        enter();
        position++; // '{'
        Map<String, Object> members = new HashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            position++;
            depth--;
            return members;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw new JsonSyntaxException("expected a member name");
            }
            String name = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            if (members.putIfAbsent(name, value()) != null) {
                throw new JsonSyntaxException("duplicate member name");
            }
            skipWhitespace();
            char c = next();
            if (c == '}') {
                depth--;
                return members;
            }
            if (c != ',') {
                throw new JsonSyntaxException("expected ',' or '}'");
            }
        }
    }

    private List<Object> array() {
        enter();
        position++; // '['
        List<Object> elements = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            position++;
            depth--;
            return Collections.unmodifiableList(elements);
        }
        while (true) {
            skipWhitespace();
            elements.add(value());
            skipWhitespace();
            char c = next();
            if (c == ']') {
                depth--;
                return Collections.unmodifiableList(elements);
            }
            if (c != ',') {
                throw new JsonSyntaxException("expected ',' or ']'");
            }
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw new JsonSyntaxException("JSON nested too deeply");
        }
    }

    private String string() {
        position++; // opening quote
        int start = position;
        // Fast path: no escapes.
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c == '"') {
                return text.substring(start, position++);
            }
            if (c == '\\') {
                break;
            }
            checkUnescaped(c);
            position++;
        }
        StringBuilder out = new StringBuilder(text.length() - start);
        out.append(text, start, position);
        while (true) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c != '\\') {
                checkUnescaped(c);
                out.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> appendUnicodeEscape(out);
                default -> throw new JsonSyntaxException("invalid escape");
            }
        }
    }

    private static void checkUnescaped(char c) {
        if (c < 0x20) {
            throw new JsonSyntaxException("unescaped control character in string");
        }
    }

    /** A {@code \\u} escape; a surrogate must be a high one immediately followed by an escaped low one. */
    private void appendUnicodeEscape(StringBuilder out) {
        char c = hex4();
        if (Character.isLowSurrogate(c)) {
            throw new JsonSyntaxException("lone low surrogate");
        }
        if (Character.isHighSurrogate(c)) {
            if (next() != '\\' || next() != 'u') {
                throw new JsonSyntaxException("lone high surrogate");
            }
            char low = hex4();
            if (!Character.isLowSurrogate(low)) {
                throw new JsonSyntaxException("lone high surrogate");
            }
            out.append(c).append(low);
            return;
        }
        out.append(c);
    }

    private char hex4() {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(next(), 16);
            if (digit < 0) {
                throw new JsonSyntaxException("invalid \\u escape");
            }
            value = value << 4 | digit;
        }
        return (char) value;
    }

    /** RFC 8259 section 6: {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}. */
    private Object number() {
        int start = position;
        if (peek() == '-') {
            position++;
        }
        if (peek() == '0') {
            position++;
        } else if (isDigit(peek())) {
            skipDigits();
        } else {
            throw new JsonSyntaxException("invalid number");
        }
        boolean integral = true;
        if (peek() == '.') {
            position++;
            requireDigit();
            skipDigits();
            integral = false;
        }
        if (peek() == 'e' || peek() == 'E') {
            position++;
            if (peek() == '+' || peek() == '-') {
                position++;
            }
            requireDigit();
            skipDigits();
            integral = false;
        }
        String literal = text.substring(start, position);
        if (integral && position - start <= 20) {
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException outOfRange) {
                // falls through: an integer beyond the long range is kept as text
            }
        }
        return new JsonDecimal(literal);
    }

    private void requireDigit() {
        if (!isDigit(peek())) {
            throw new JsonSyntaxException("invalid number");
        }
    }

    private void skipDigits() {
        while (isDigit(peek())) {
            position++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, position)) {
            throw new JsonSyntaxException("invalid literal");
        }
        position += word.length();
        return value;
    }

    /** RFC 8259 section 2: whitespace is space, tab, line feed and carriage return, nothing else. */
    private void skipWhitespace() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            position++;
        }
    }

    /** The current character, or NUL at the end (NUL never appears unescaped in valid JSON outside strings). */
    private char peek() {
        return position < text.length() ? text.charAt(position) : '\0';
    }

    private char next() {
        if (position >= text.length()) {
            throw new JsonSyntaxException("unexpected end of input");
        }
        return text.charAt(position++);
    }

    private void expect(char c) {
        if (next() != c) {
            throw new JsonSyntaxException("expected '" + c + "'");
        }
    }
}
