package dev.tokenauthority.authority.revocation;

import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.token.AccessTokenStore;
import dev.tokenauthority.authority.token.RefreshTokenStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revokes the rows a revocation left to follow it, after it has returned: the sessions (and their
 * tokens) a force logout killed by its watermark, and the tokens of sessions a bulk revocation
 * ended ({@link Revocations#TOKEN_ROWS_IN_CALL_MAX}). The watermark, or the session's own REVOKED
 * row, already kills every such token at the authority and on every validator, and a refresh of
 * one is refused, so nothing waits for the rows: a force logout of a user with ten thousand
 * sessions commits a handful of rows and returns in milliseconds, and the rows follow within about
 * a second (until then, listings filtered by status may still show them active; their details,
 * introspection and unfiltered listings already say revoked).
 *
 * <p>Woken after each such revocation commits, on one background thread of its own; the periodic
 * housekeeping drains it too, so an entry left by a replica that crashed before its rows followed
 * is finished by whichever replica looks next. Each entry is revoked in its own transaction (the
 * tokens of up to {@link #TOKEN_BATCH} sessions in one), and doing one twice changes nothing.
 */
public final class SessionRowsFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionRowsFollower.class);
    private static final int BATCH = 16;
    /** Sessions whose tokens' rows one transaction revokes: about a tenth of a second of PostgreSQL writes. */
    private static final int TOKEN_BATCH = 1_000;

    private final Transactions transactor;
    private final Clock clock;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "session-rows");
        t.setDaemon(true);
        return t;
    });

    public SessionRowsFollower(Transactions transactor, Clock clock) {
        this.transactor = transactor;
        this.clock = clock;
    }

    /** Asks for a drain soon, on the follower's thread; wakes arriving while one runs lead to one more. */
    public void wake() {
        if (pending.compareAndSet(false, true)) {
            try {
                worker.execute(() -> {
                    pending.set(false);
                    try {
                        drain();
                    } catch (RuntimeException e) {
                        LOG.warn("revoking the rows of revoked sessions failed, housekeeping will retry: {}",
                                e.getMessage());
                    }
                });
            } catch (RejectedExecutionException closed) {
                pending.set(false); // shutting down: the entries stay for the next replica to look
            }
        }
    }

    /**
     * Revokes the rows of every entry there is now, on the calling thread; returns how many
     * sessions' rows followed (a force logout's sessions, and the sessions whose tokens followed).
     */
    public int drain() {
        return drainForceLogouts() + drainSessionTokens();
    }

    private int drainForceLogouts() {
        int sessions = 0;
        Set<SessionRowsToRevokeStore.Entry> done = new HashSet<>();
        while (true) {
            List<SessionRowsToRevokeStore.Entry> entries =
                    transactor.read(tx -> tx.store(SessionRowsToRevokeStore.class).next(BATCH));
            entries.removeAll(done); // never loop on an entry that stayed (it cannot, but a drain must end)
            if (entries.isEmpty()) {
                return sessions;
            }
            for (SessionRowsToRevokeStore.Entry entry : entries) {
                sessions += transactor.inTransaction(
                        tx -> tx.store(SessionRowsToRevokeStore.class).revoke(entry, clock.instant())).sessions();
                done.add(entry);
            }
        }
    }

    /** When, by whom and why sessions were revoked: what their tokens' rows are marked with. */
    private record Revoked(Instant at, String by, String reason) {
    }

    private int drainSessionTokens() {
        int sessions = 0;
        Set<String> done = new HashSet<>();
        while (true) {
            List<SessionTokensToRevokeStore.Entry> entries =
                    transactor.read(tx -> tx.store(SessionTokensToRevokeStore.class).next(TOKEN_BATCH));
            entries.removeIf(entry -> done.contains(entry.sessionId()));
            if (entries.isEmpty()) {
                return sessions;
            }
            // One revocation's sessions share when, by whom and why: one statement per table for each.
            Map<Revoked, List<String>> byRevocation = new LinkedHashMap<>();
            entries.forEach(entry -> byRevocation.computeIfAbsent(
                    new Revoked(entry.revokedAt(), entry.revokedBy(), entry.reason()), k -> new ArrayList<>())
                    .add(entry.sessionId()));
            transactor.useTransaction(tx -> byRevocation.forEach((revoked, ids) -> {
                tx.store(RefreshTokenStore.class).revokeAllOfSessions(ids, revoked.at(), revoked.by(), revoked.reason());
                tx.store(AccessTokenStore.class).revokeAllOfSessions(ids, revoked.at());
                tx.store(SessionTokensToRevokeStore.class).remove(ids);
            }));
            entries.forEach(entry -> done.add(entry.sessionId()));
            sessions += entries.size();
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
