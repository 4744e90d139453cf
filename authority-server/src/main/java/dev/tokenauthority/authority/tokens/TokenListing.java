package dev.tokenauthority.authority.tokens;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.Transaction;
import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.audit.AuditStore;
import dev.tokenauthority.authority.issuance.AccessTokenSigner;
import dev.tokenauthority.authority.listing.ListOrder;
import dev.tokenauthority.authority.listing.PageCursor;
import dev.tokenauthority.authority.listing.Paging;
import dev.tokenauthority.authority.token.AccessTokenStore;
import dev.tokenauthority.authority.token.AccessTokenStore.AccessTokenRecord;
import dev.tokenauthority.authority.token.RefreshToken;
import dev.tokenauthority.authority.token.Session;
import dev.tokenauthority.authority.token.SessionStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Token listings (search, filters, sort, keyset pages) and the detail view. */
public final class TokenListing {

    private final Transactions transactor;
    private final AccessTokenSigner signer;
    private final Clock clock;

    public TokenListing(Transactions transactor, AccessTokenSigner signer, Clock clock) {
        this.transactor = transactor;
        this.signer = signer;
        this.clock = clock;
    }

    /**
     * One page of tokens and, on the first page only, the number matching (exact up to
     * {@link TokenSearch#COUNT_CAP}, COUNT_CAP + 1 beyond; 0 on later pages). Counting costs far more
     * than a page, and a client paging on already has the number from the first.
     */
    public record Page(List<TokenListItem> items, String nextPageToken, long totalSize, Instant asOf) {
    }

    public Page list(TokenQuery query, ListOrder<TokenColumn> order, int pageSize, String pageToken) {
        int size = Paging.pageSize(pageSize);
        String fingerprint = Paging.fingerprint(query, order);
        PageCursor cursor = PageCursor.decode(pageToken, fingerprint);
        Instant now = clock.instant();
        return transactor.read(tx -> {
            TokenSearch search = tx.store(TokenSearch.class);
            Paging.Slice<TokenListItem> slice = Paging.slice(search.page(query, order, cursor, size + 1, now),
                    size, item -> sortValue(item, order.column()), item -> item.token().id(), fingerprint);
            long total = cursor != null ? 0
                    : slice.nextPageToken() == null ? slice.rows().size() // all of them are on this page
                    : search.countUpToCap(query, now);
            return new Page(slice.rows(), slice.nextPageToken(), total, now);
        });
    }

    public TokenDetails details(String tokenId) {
        return transactor.read(tx -> {
            TokenListItem item = find(tx, tokenId);
            Session session = tx.store(SessionStore.class).findById(item.token().sessionId()).orElseThrow();
            AccessTokenRecord access = tx.store(AccessTokenStore.class).findLatestOfRefreshToken(tokenId).orElse(null);
            String claims = access == null ? null : signer.claimsJson(new AccessTokenSigner.Claims(access.jti(),
                    access.userId(), session.audience(), access.clientId(), session.scopes(), session.id(),
                    session.createdAt(), access.issuedAt(), access.expiresAt()));
            return new TokenDetails(item, session, item.token().secretHash().substring(0, 8), access, claims,
                    tx.store(AuditStore.class).findByTargets(tokenId, session.id()));
        });
    }

    /** The token with this id and its user's email, or NOT_FOUND. */
    static TokenListItem find(Transaction tx, String tokenId) {
        return tx.store(TokenSearch.class).find(tokenId)
                .orElseThrow(() -> AuthorityException.notFound("token", tokenId));
    }

    /**
     * The row's value in the sort column, as a page cursor keeps it: what the next page continues
     * after, so it reads the column the listing sorts by (a never-used token by its issue time under
     * last used, see {@link TokenColumn}; emails normalized).
     */
    private static String sortValue(TokenListItem item, TokenColumn column) {
        RefreshToken t = item.token();
        return switch (column) {
            case TOKEN_ID -> t.id();
            case USER_EMAIL -> item.userEmail().toLowerCase(Locale.ROOT);
            case CLIENT_ID -> t.clientId();
            case ISSUED_AT -> t.issuedAt().toString();
            case LAST_USED_AT -> (t.lastUsedAt() == null ? t.issuedAt() : t.lastUsedAt()).toString();
            case EXPIRES_AT -> t.expiresAt().toString();
            case STATUS -> t.status().name();
        };
    }
}
