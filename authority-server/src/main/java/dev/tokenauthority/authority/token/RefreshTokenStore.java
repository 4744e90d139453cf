package dev.tokenauthority.authority.token;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Refresh tokens (stored by hash) and their status: what rotation compares and sets, and revocation ends. */
public interface RefreshTokenStore {

    Optional<RefreshToken> findById(String id);

    /**
     * The token, its row locked until the transaction ends: a retry within the reuse grace decides
     * on its parent's successor under this lock, so a concurrent rotation or suspension of the
     * successor is either wholly before the decision or wholly after it.
     */
    Optional<RefreshToken> findByIdForUpdate(String id);

    /**
     * The compare-and-set at the heart of rotation: of concurrent callers presenting the same
     * token, exactly one sees 1 (the row lock serialises them, and the losers re-evaluate the
     * status after the winner commits). The winner's successor is recorded in the same statement,
     * so whoever sees ROTATED also sees which token the rotation issued.
     */
    int markRotated(String id, String successorId, Instant at);

    int markExpired(String id);

    int revokeAllOfSessions(List<String> sessionIds, Instant at, String by, String reason);

    int revokeAllOfUser(String userId, Instant at, String by, String reason);

    int revokeAll(Instant at, String by, String reason);
}
