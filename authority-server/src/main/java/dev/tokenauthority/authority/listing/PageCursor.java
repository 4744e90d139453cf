package dev.tokenauthority.authority.listing;

import dev.tokenauthority.authority.error.AuthorityException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An opaque keyset page token: the last row's sort value and id, plus a fingerprint of the query
 * and order it belongs to. Keyset pagination (WHERE (sort, id) &gt; (last)) never repeats or skips a
 * row while new tokens are being issued, unlike OFFSET; the fingerprint makes a token from another
 * query an INVALID_ARGUMENT rather than a silently wrong page.
 */
public record PageCursor(String sortValue, String id) {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

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
            throw AuthorityException.invalidArgument("page_token", "is not a page token of this API");
        }
        if (parts.length != 4 || !parts[0].equals("v1")) {
            throw AuthorityException.invalidArgument("page_token", "is not a page token of this API");
        }
        if (!parts[1].equals(fingerprint)) {
            throw AuthorityException.invalidArgument("page_token", "belongs to another query or order");
        }
        return new PageCursor(parts[2], parts[3]);
    }
}
