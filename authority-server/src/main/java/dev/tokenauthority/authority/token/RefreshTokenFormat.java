package dev.tokenauthority.authority.token;

import dev.tokenauthority.authority.crypto.Secrets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The opaque refresh-token string: {@code ta_rt_<id>.<secret>}, where id is 128 random bits and
 * secret 256 random bits, both base64url. The recognisable prefix lets secret scanners find
 * leaked tokens; the id locates the row and the secret is checked against its stored hash.
 */
public final class RefreshTokenFormat {

    public static final String PREFIX = "ta_rt_";
    /** Public ids of refresh tokens, as admins see them. */
    public static final String ID_PREFIX = "rt_";

    private static final Pattern SHAPE = Pattern.compile("ta_rt_([A-Za-z0-9_-]{22})\\.([A-Za-z0-9_-]{43})");

    private RefreshTokenFormat() {}

    /** A token id and the secret belonging to it. */
    public record Parts(String id, String secret) {
        public String token() {
            return PREFIX + id.substring(ID_PREFIX.length()) + "." + secret;
        }

        @Override
        public String toString() {
            return "Parts[id=" + id + ", secret=<redacted>]";
        }
    }

    public static Parts generate() {
        return new Parts(Secrets.newId(ID_PREFIX), Secrets.randomBase64Url(32));
    }

    /** The parts of a token of our shape, or empty for anything else. */
    public static Optional<Parts> parse(String token) {
        if (token == null || token.length() != 72) {
            return Optional.empty();
        }
        Matcher m = SHAPE.matcher(token);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Parts(ID_PREFIX + m.group(1), m.group(2)));
    }

    public static boolean looksLikeRefreshToken(String token) {
        return token != null && token.startsWith(PREFIX);
    }
}
