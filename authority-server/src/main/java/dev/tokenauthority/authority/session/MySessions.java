package dev.tokenauthority.authority.session;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.audit.CallContext;
import dev.tokenauthority.authority.client.Client;
import dev.tokenauthority.authority.client.ClientStore;
import dev.tokenauthority.authority.listing.ListOrder;
import dev.tokenauthority.authority.revocation.RevocationResult;
import dev.tokenauthority.authority.revocation.Revocations;
import dev.tokenauthority.authority.token.Session;
import dev.tokenauthority.authority.token.SessionStore;
import dev.tokenauthority.authority.user.User;
import dev.tokenauthority.authority.user.UserStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A user's own sessions, without an administrator: where they are signed in, ending one they do
 * not recognise, and "log out everywhere else". Listing is the administrators' session listing
 * narrowed to the user's ACTIVE sessions; ending goes through {@link Revocations} as an
 * administrator's RevokeSession does, so the session, its tokens' rows, its feed entry and its audit
 * event (the user as actor) commit together, and many sessions take the bulk path.
 *
 * <p>A session of another user is answered exactly as an unknown id is (NOT_FOUND), so a caller
 * learns nothing of sessions that are not theirs.
 */
public final class MySessions {

    /** Newest login first: the session just begun on a new device is the one a user looks for. */
    static final ListOrder<SessionColumn> NEWEST_FIRST = new ListOrder<>(SessionColumn.LOGIN_AT, true);
    /** The audit action and stored reason of ending one's own session. */
    static final String REVOKE_ACTION = "session.revoke_own";
    static final String REVOKE_REASON = "ended by the user";
    /** The audit action and stored reason of "log out everywhere else". */
    static final String REVOKE_OTHERS_ACTION = "session.revoke_own_others";
    static final String REVOKE_OTHERS_REASON = "the user logged out everywhere else";

    private final Transactions transactor;
    private final SessionListing listing;
    private final Revocations revocations;
    private final Clock clock;

    public MySessions(Transactions transactor, SessionListing listing, Revocations revocations, Clock clock) {
        this.transactor = transactor;
        this.listing = listing;
        this.revocations = revocations;
        this.clock = clock;
    }

    /** One of the user's sessions, with its client's display name and whether it is the calling one. */
    public record Item(Session session, String clientName, boolean current) {
    }

    /** A page of the user's sessions, and the user's email (the console shows who is signed in). */
    public record Page(String userEmail, List<Item> items, String nextPageToken, long totalSize) {
    }

    /** What ending one session did: nothing if it had already ended; the feed sequence carrying it otherwise. */
    public record Ended(boolean alreadyRevoked, boolean wasCurrent, long feedSequence) {
    }

    /** The user's ACTIVE sessions, newest login first. A page token only continues the listing of the same user. */
    public Page list(SessionOwner owner, int pageSize, String pageToken) {
        SessionListing.Page page = listing.list(new SessionQuery(null, owner.userId(), null, true, null, null),
                NEWEST_FIRST, pageSize, pageToken);
        List<String> clientIds = page.items().stream().map(item -> item.session().clientId()).distinct().toList();
        return transactor.read(tx -> {
            Map<String, String> clientNames = clientIds.isEmpty() ? Map.of()
                    : tx.store(ClientStore.class).findByIds(clientIds).stream()
                            .collect(Collectors.toMap(Client::clientId, Client::name));
            String email = tx.store(UserStore.class).findById(owner.userId()).map(User::email).orElse("");
            List<Item> items = page.items().stream()
                    .map(item -> new Item(item.session(), clientNames.getOrDefault(item.session().clientId(), ""),
                            item.session().id().equals(owner.currentSessionId())))
                    .toList();
            return new Page(email, items, page.nextPageToken(), page.totalSize());
        });
    }

    /** Ends one of the user's sessions, the calling one included (a logout). */
    public Ended revoke(SessionOwner owner, String sessionId, CallContext call) {
        return transactor.inTransaction(tx -> {
            tx.store(SessionStore.class).findById(sessionId)
                    .filter(session -> session.userId().equals(owner.userId()))
                    .orElseThrow(() -> AuthorityException.notFound("session", sessionId));
            RevocationResult result = revocations.revokeSession(tx, owner.actingIn(call), sessionId, REVOKE_REASON,
                    REVOKE_ACTION, clock.instant());
            return new Ended(result.revokedSessions() == 0, sessionId.equals(owner.currentSessionId()),
                    result.feedSequence());
        });
    }

    /**
     * Ends every ACTIVE session of the user but the calling one. Above
     * {@link Revocations#TOKEN_ROWS_IN_CALL_MAX} sessions their tokens' rows follow after the
     * commit, as for any revocation of that many (the sessions are dead at once).
     */
    public RevocationResult revokeOthers(SessionOwner owner, CallContext call) {
        return transactor.inTransaction(tx -> {
            Instant now = clock.instant();
            // The sessions the user's list shows: one a force logout killed is dead already, and
            // ending it again would count it and put it on the feed a second time.
            List<String> others = tx.store(SessionStore.class).findLiveIdsOfUser(owner.userId(), now).stream()
                    .filter(id -> !id.equals(owner.currentSessionId()))
                    .toList();
            if (others.isEmpty()) {
                return RevocationResult.nothing(now);
            }
            return revocations.revokeSessions(tx, owner.actingIn(call), others, REVOKE_OTHERS_REASON,
                    REVOKE_OTHERS_ACTION, now);
        });
    }
}
