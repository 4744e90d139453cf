package dev.tokenauthority.authority.listing;

import dev.tokenauthority.authority.AuthorityException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/** Page sizes, query fingerprints and next-page tokens, the same for every listing. */
public final class Paging {

    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 500;

    private Paging() {}

    /** 0 means the default; anything outside 1..500 is INVALID_ARGUMENT naming page_size. */
    public static int pageSize(int requested) {
        if (requested < 0 || requested > MAX_PAGE_SIZE) {
            throw AuthorityException.invalidArgument("page_size", "must be between 1 and " + MAX_PAGE_SIZE);
        }
        return requested == 0 ? DEFAULT_PAGE_SIZE : requested;
    }

    /** Identifies a query and order, so a page token cannot be replayed against another one. */
    public static String fingerprint(Object query, Object order) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((query + "|" + order).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A page: at most {@code size} rows, and a token for the next page when one more row was fetched. */
    public record Slice<T>(List<T> rows, String nextPageToken) {
    }

    /** Cuts {@code rows} (fetched with limit size + 1) to a page and makes the next page's token. */
    public static <T> Slice<T> slice(List<T> rows, int size, Function<T, String> sortValue, Function<T, String> id,
            String fingerprint) {
        if (rows.size() <= size) {
            return new Slice<>(List.copyOf(rows), null);
        }
        T last = rows.get(size - 1);
        return new Slice<>(List.copyOf(rows.subList(0, size)),
                new PageCursor(sortValue.apply(last), id.apply(last)).encode(fingerprint));
    }
}
