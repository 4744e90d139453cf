package dev.tokenauthority.sidecar.jose;

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
 * <p>This class builds the values and holds the structural rules (duplicates, depth); {@link JsonScanner} reads the
 * tokens.
 *
 * <p>Also rejected: trailing non-whitespace, a byte-order mark, unescaped control characters, lone surrogates in
 * {@code \\u} escapes (RFC 8259 section 8.2), leading zeros and every other syntax error. Values map to:
 * object to {@code Map<String, Object>}, array to {@code List<Object>}, string to {@code String}, an integer that fits
 * in a long to {@code Long}, any other number to {@link JsonDecimal} (kept as text, so a hostile exponent costs
 * nothing), {@code true}/{@code false} to {@code Boolean} and {@code null} to {@link #NULL}.
 */
public final class StrictJsonParser {

    /** The deepest nesting of objects and arrays accepted; JOSE headers and our claims need 2. */
    public static final int MAX_DEPTH = 16;

    /** Stands for JSON {@code null}, so that "absent" (a map returning null) and "null" stay distinct. */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** A number that is not an integer fitting in a long, kept as its JSON text. */
    public record JsonDecimal(String text) {
    }

    /** Thrown on any syntax or policy violation; carries no stack trace because it is routine. */
    public static final class JsonSyntaxException extends RuntimeException {
        JsonSyntaxException(String message) {
            super(message, null, false, false);
        }
    }

    private final JsonScanner scanner;
    private int depth;

    private StrictJsonParser(String text) {
        this.scanner = new JsonScanner(text);
    }

    /** Parses a complete JSON text. */
    static Object parse(String text) {
        StrictJsonParser parser = new StrictJsonParser(text);
        parser.scanner.skipWhitespace();
        Object value = parser.value();
        parser.scanner.skipWhitespace();
        if (!parser.scanner.atEnd()) {
            throw new JsonSyntaxException("trailing characters after JSON value");
        }
        return value;
    }

    /** Parses a complete JSON text that must be an object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object value = parse(text);
        if (!(value instanceof Map)) {
            throw new JsonSyntaxException("expected a JSON object");
        }
        return (Map<String, Object>) value;
    }

    private Object value() {
        if (scanner.atEnd()) {
            throw new JsonSyntaxException("unexpected end of input");
        }
        char c = scanner.peek();
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return scanner.string();
            case 't':
                return scanner.literal("true", Boolean.TRUE);
            case 'f':
                return scanner.literal("false", Boolean.FALSE);
            case 'n':
                return scanner.literal("null", NULL);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return scanner.number();
                }
                throw new JsonSyntaxException("unexpected character");
        }
    }

    private Map<String, Object> object() {
        enter();
        scanner.next(); // '{'
        Map<String, Object> members = new HashMap<>();
        scanner.skipWhitespace();
        if (scanner.peek() == '}') {
            scanner.next();
            depth--;
            return members;
        }
        while (true) {
            scanner.skipWhitespace();
            if (scanner.peek() != '"') {
                throw new JsonSyntaxException("expected a member name");
            }
            String name = scanner.string();
            scanner.skipWhitespace();
            scanner.expect(':');
            scanner.skipWhitespace();
            if (members.putIfAbsent(name, value()) != null) {
                throw new JsonSyntaxException("duplicate member name");
            }
            scanner.skipWhitespace();
            char c = scanner.next();
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
        scanner.next(); // '['
        List<Object> elements = new ArrayList<>();
        scanner.skipWhitespace();
        if (scanner.peek() == ']') {
            scanner.next();
            depth--;
            return Collections.unmodifiableList(elements);
        }
        while (true) {
            scanner.skipWhitespace();
            elements.add(value());
            scanner.skipWhitespace();
            char c = scanner.next();
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
}
