package dev.tokenauthority.authority.token;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Refresh tokens (stored by hash) and their status: what rotation compares and sets, and revocation ends. */
public interface RefreshTokenStore {

    /** A token's session, user and status as stored (an ACTIVE token past its expiry is still ACTIVE here). */
    record StoredStatus(String id, String sessionId, String userId, RefreshTokenStatus status) {
    }

    Optional<RefreshToken> findById(String id);

    /**
     * The stored status of each of {@code ids} that exists, in no particular order (one statement
     * for any number of ids).
     */
    List<StoredStatus> findStatuses(List<String> ids);

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

    /**
     * An administrator's status change (suspend, resume), as a compare-and-set: 1 if the token was
     * {@code from} and is now {@code to}, 0 if something else changed it since it was read.
     */
    int changeStatus(String id, RefreshTokenStatus from, RefreshTokenStatus to);

    int updateExpiresAt(String id, Instant expiresAt);

    /** Sets the administrator's note; null removes it. */
    int updateNote(String id, String note);

    int updateTags(String id, List<String> tags);

    int delete(String id);

    int revokeAllOfSessions(List<String> sessionIds, Instant at, String by, String reason);

    /** How many ACTIVE or SUSPENDED tokens these sessions hold: what {@link #revokeAllOfSessions} would revoke. */
    int countLiveOfSessions(List<String> sessionIds);


    int revokeAll(Instant at, String by, String reason);
}
