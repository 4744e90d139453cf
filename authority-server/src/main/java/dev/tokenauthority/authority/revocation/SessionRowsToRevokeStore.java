package dev.tokenauthority.authority.revocation;

import java.time.Instant;
import java.util.List;

/**
 * The sessions a force logout killed by its watermark and whose rows (the sessions and their
 * refresh tokens) are still to be marked revoked: one entry per user, written in the force
 * logout's transaction and removed in the one that revokes the rows.
 */
public interface SessionRowsToRevokeStore {

    /** What is left to revoke for one user: every session begun at or before {@code watermark}. */
    record Entry(String userId, Instant watermark, String revokedBy, String reason) {
    }

    /** Records (or, for a later watermark of the same user, replaces) the entry. */
    void put(Entry entry);

    /** Up to {@code limit} entries, oldest watermark first. */
    List<Entry> next(int limit);

    /**
     * Revokes the user's active sessions begun at or before the entry's watermark, then the live
     * refresh tokens of the user's sessions begun by then (sessions before tokens, the order a
     * refresh locks them), and removes the entry unless a later force logout replaced it meanwhile.
     * Returns the sessions and refresh tokens revoked.
     */
    RevokedRows revoke(Entry entry, Instant at);

    /** How many sessions and refresh tokens one entry revoked. */
    record RevokedRows(int sessions, int refreshTokens) {
    }

    /**
     * The earliest a new force-logout watermark of the user may be: the start of their latest
     * session (any status) or their current watermark, whichever is later; null if neither exists.
     * Replicas' clocks differ, so a watermark read from one clock could fall before a session
     * begun on a replica whose clock runs ahead, or before a watermark such a replica set.
     */
    Instant watermarkFloor(String userId);

    /** The user's sessions and refresh tokens still live in their rows and begun at or before {@code watermark}. */
    RevokedRows countLive(String userId, Instant watermark);
}
