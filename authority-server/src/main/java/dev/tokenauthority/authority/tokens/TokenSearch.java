package dev.tokenauthority.authority.tokens;

import dev.tokenauthority.authority.listing.ListOrder;
import dev.tokenauthority.authority.listing.PageCursor;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Refresh tokens as administrators look for them, each with its user's email: the pages and
 * counts of the token list, exports, and the tokens a bulk revocation matches.
 *
 * <p>A {@link TokenQuery}'s free text matches part of the user's email (case-insensitive), or the
 * client id or the token id exactly. Its statuses are read as of {@code now}: ACTIVE means active
 * and unexpired, EXPIRED includes an ACTIVE token past its expiry.
 */
public interface TokenSearch {

    /**
     * Where counting stops: an exact count of a million matches costs a scan of them all, ten times
     * the page itself. A count of COUNT_CAP + 1 means "more than COUNT_CAP".
     */
    int COUNT_CAP = 10_000;

    /**
     * One page in {@code order}, strictly after {@code cursor} (null: the first), at most
     * {@code limit} tokens. Tokens added meanwhile are neither repeated nor skipped (keyset pages).
     */
    List<TokenListItem> page(TokenQuery query, ListOrder<TokenColumn> order, PageCursor cursor, int limit,
            Instant now);

    /** The number of matching tokens, exact up to {@link #COUNT_CAP}, else COUNT_CAP + 1. */
    long countUpToCap(TokenQuery query, Instant now);

    /**
     * Hands every matching token to {@code action} in id order without holding them all in memory
     * (inside a transaction, so that PostgreSQL streams them).
     */
    void forEach(TokenQuery query, Instant now, Consumer<TokenListItem> action);

    /** The token with this id and its user's email. */
    Optional<TokenListItem> find(String tokenId);
}
