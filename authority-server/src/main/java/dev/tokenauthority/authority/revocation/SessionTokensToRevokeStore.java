package dev.tokenauthority.authority.revocation;

import java.time.Instant;
import java.util.List;

/**
 * Revoked sessions whose refresh and access tokens' rows are still to be marked revoked: written in
 * the transaction of a revocation of many sessions, removed in the one that revokes the rows. Until
 * then the session's own row, already REVOKED, is what makes its tokens dead.
 */
public interface SessionTokensToRevokeStore {

    /** One revoked session, with what its tokens are to be marked with. */
    record Entry(String sessionId, Instant revokedAt, String revokedBy, String reason) {
    }

    /** Records the sessions, all revoked at {@code at} by {@code by} for {@code reason}. */
    void put(List<String> sessionIds, Instant at, String by, String reason);

    /** Up to {@code limit} entries, oldest first. */
    List<Entry> next(int limit);

    /** Removes the entries of these sessions. */
    void remove(List<String> sessionIds);
}
