package dev.tokenauthority.sidecar.jose;

import dev.tokenauthority.sidecar.jose.StrictJsonParser.JsonDecimal;
import dev.tokenauthority.sidecar.jose.StrictJsonParser.JsonSyntaxException;

/**
 * The lexical half of {@link StrictJsonParser}: reads one JSON (RFC 8259) token at a time from a {@code String}
 * (strings with their escapes, numbers, the three literals, punctuation and whitespace), strictly, and keeps the
 * position. The parser decides which token it expects next and builds the values.
 */
final class JsonScanner {

    private final String text;
    private int position;

    JsonScanner(String text) {
        this.text = text;
    }

    boolean atEnd() {
        return position >= text.length();
    }

    /** RFC 8259 section 2: whitespace is space, tab, line feed and carriage return, nothing else. */
    void skipWhitespace() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            position++;
        }
    }

    /** The current character, or NUL at the end (NUL never appears unescaped in valid JSON outside strings). */
    char peek() {
        return position < text.length() ? text.charAt(position) : '\0';
    }

    char next() {
        if (position >= text.length()) {
            throw new JsonSyntaxException("unexpected end of input");
        }
        return text.charAt(position++);
    }

    void expect(char c) {
        if (next() != c) {
            throw new JsonSyntaxException("expected '" + c + "'");
        }
    }

    /** A string, the scanner being at its opening quote. */
    String string() {
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

    /**
     * RFC 8259 section 6: {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}. A {@code Long} when it is an
     * integer that fits, else a {@link JsonDecimal}.
     */
    Object number() {
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

    /** {@code true}, {@code false} or {@code null}, spelled {@code word}; {@code value} is what it stands for. */
    Object literal(String word, Object value) {
        if (!text.startsWith(word, position)) {
            throw new JsonSyntaxException("invalid literal");
        }
        position += word.length();
        return value;
    }
}
