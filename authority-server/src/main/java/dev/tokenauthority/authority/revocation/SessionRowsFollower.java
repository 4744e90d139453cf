package dev.tokenauthority.authority.revocation;

import dev.tokenauthority.authority.Transactions;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revokes the rows of the sessions a force logout killed by its watermark, after the force logout
 * has returned. The watermark alone already kills every token of those sessions at the authority
 * and on every validator, and a refresh of one is refused, so nothing waits for the rows: a force
 * logout of a user with ten thousand sessions commits a handful of rows and returns in
 * milliseconds, and the rows follow within about a second (until then, listings filtered by
 * status may still show them active; their details and introspection already say revoked).
 *
 * <p>Woken after each force logout commits, on one background thread of its own; the periodic
 * housekeeping drains it too, so an entry left by a replica that crashed before its rows followed
 * is finished by whichever replica looks next. Each entry is revoked in its own transaction, and
 * doing one twice changes nothing.
 */
public final class SessionRowsFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionRowsFollower.class);
    private static final int BATCH = 16;

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
                        LOG.warn("revoking the rows of force-logged-out sessions failed, housekeeping will retry: {}",
                                e.getMessage());
                    }
                });
            } catch (RejectedExecutionException closed) {
                pending.set(false); // shutting down: the entries stay for the next replica to look
            }
        }
    }

    /** Revokes the rows of every entry there is now, on the calling thread; returns the sessions revoked. */
    public int drain() {
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

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
