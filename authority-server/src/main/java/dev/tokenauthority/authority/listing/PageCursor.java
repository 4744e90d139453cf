package dev.tokenauthority.authority.listing;

import dev.tokenauthority.authority.AuthorityException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * An opaque keyset page token: the last row's sort value and id, plus a fingerprint of the query
 * and order it belongs to. Keyset pagination (WHERE (sort, id) &gt; (last)) never repeats or skips a
 * row while new tokens are being issued, unlike OFFSET; the fingerprint makes a token from another
 * query an INVALID_ARGUMENT rather than a silently wrong page.
 *
 * <p>A page token is client input: anyone can forge one (the fingerprint is no secret). So every
 * value is checked before it reaches SQL, here (no control character, which PostgreSQL refuses in
 * text, and a bounded length) and by the typed accessors ({@link #sortInstant()}, {@link #idAsLong()}):
 * a forged token is INVALID_ARGUMENT naming {@code page_token}, never a database error.
 */
public record PageCursor(String sortValue, String id) {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    /** Longer than any id or sort value a listing writes (emails are at most 320 characters). */
    private static final int MAX_VALUE_LENGTH = 512;
    /** The range both databases store in a TIMESTAMP WITH TIME ZONE. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    public String encode(String fingerprint) {
        String raw = "v1\n" + fingerprint + "\n" + (sortValue == null ? "" : sortValue) + "\n" + id;
        return ENCODER.encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor in {@code pageToken}, or null for the first page. */
    public static PageCursor decode(String pageToken, String fingerprint) {
        if (pageToken == null || pageToken.isEmpty()) {
            return null;
        }
        String[] parts;
        try {
            parts = new String(DECODER.decode(pageToken), StandardCharsets.UTF_8).split("\n", -1);
        } catch (IllegalArgumentException e) {
            throw notOurs();
        }
        if (parts.length != 4 || !parts[0].equals("v1")) {
            throw notOurs();
        }
        if (!parts[1].equals(fingerprint)) {
            throw AuthorityException.invalidArgument("page_token", "belongs to another query or order");
        }
        if (!plausible(parts[2]) || !plausible(parts[3]) || parts[3].isEmpty()) {
            throw notOurs();
        }
        return new PageCursor(parts[2], parts[3]);
    }

    /** The sort value of a timestamp column; INVALID_ARGUMENT unless it is a timestamp the databases can hold. */
    public Instant sortInstant() {
        try {
            Instant value = Instant.parse(sortValue);
            if (value.isBefore(EARLIEST) || value.isAfter(LATEST)) {
                throw notOurs();
            }
            return value;
        } catch (DateTimeParseException e) {
            throw notOurs();
        }
    }

    /** The id of a listing keyed by a number (the audit trail); INVALID_ARGUMENT unless it is one. */
    public long idAsLong() {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw notOurs();
        }
    }

    private static boolean plausible(String value) {
        return value.length() <= MAX_VALUE_LENGTH && value.chars().noneMatch(Character::isISOControl);
    }

    private static AuthorityException notOurs() {
        return AuthorityException.invalidArgument("page_token", "is not a page token of this API");
    }
}
