package dev.tokenauthority.authority.grant;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.SpaceSeparated;
import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.audit.AuditLog;
import dev.tokenauthority.authority.audit.CallContext;
import dev.tokenauthority.authority.listing.PageCursor;
import dev.tokenauthority.authority.listing.Paging;
import dev.tokenauthority.authority.revocation.RevocationResult;
import dev.tokenauthority.authority.revocation.Revocations;
import dev.tokenauthority.authority.token.SessionStore;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Grants for administrators: list them, and revoke one, which ends every session of
 * that user on that client (their tokens die with them, in the feed) and deletes the grant, so
 * the next login asks afresh.
 */
public final class GrantAdministration {

    private final Transactions transactor;
    private final Revocations revocations;
    private final AuditLog audit;
    private final Clock clock;

    public GrantAdministration(Transactions transactor, Revocations revocations, AuditLog audit, Clock clock) {
        this.transactor = transactor;
        this.revocations = revocations;
        this.audit = audit;
        this.clock = clock;
    }

    public record Page(List<GrantListItem> grants, String nextPageToken) {
    }

    /** Grants of the user and/or the client (null: any), by id. */
    public Page list(String userId, String clientId, int pageSize, String pageToken) {
        int size = Paging.pageSize(pageSize);
        String fingerprint = Paging.fingerprint("grants:" + userId + "|" + clientId, "id asc");
        PageCursor cursor = PageCursor.decode(pageToken, fingerprint);
        return transactor.read(tx -> {
            Paging.Slice<GrantListItem> slice = Paging.slice(
                    tx.store(GrantStore.class).findAfter(userId, clientId, cursor == null ? null : cursor.id(), size + 1),
                    size, item -> item.grant().id(), item -> item.grant().id(), fingerprint);
            return new Page(slice.rows(), slice.nextPageToken());
        });
    }

    public RevocationResult revoke(String grantId, String reason, CallContext context) {
        return transactor.inTransaction(tx -> {
            Instant now = clock.instant();
            GrantStore grants = tx.store(GrantStore.class);
            Grant grant = grants.findById(grantId).orElseThrow(() -> AuthorityException.notFound("grant", grantId));
            List<String> sessions = tx.store(SessionStore.class).findActiveIds(grant.userId(), grant.clientId());
            RevocationResult result = revocations.revokeSessions(tx, context, sessions, reason, "session.revoke_grant",
                    now);
            grants.deleteById(grantId);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("user_id", grant.userId());
            details.put("client_id", grant.clientId());
            details.put("scopes_before", SpaceSeparated.join(grant.scopes()));
            details.put("revoked_sessions", result.revokedSessions());
            details.put("feed_sequence", result.feedSequence());
            audit.record(tx, context, now, "grant.revoke", "grant", grantId, reason, details);
            return result;
        });
    }
}
