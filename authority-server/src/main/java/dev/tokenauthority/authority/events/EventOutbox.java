package dev.tokenauthority.authority.events;

import dev.tokenauthority.authority.Transaction;
import java.time.Instant;
import java.util.List;

/**
 * Writes the events a revocation owes its receivers, in the revocation's own transaction, next to
 * its revocation-log entry: a revocation that rolls back leaves no event, and one that commits
 * cannot lose its events (RFC 8935 leaves durability to the transmitter; this is how we give it).
 * After the commit it only wakes the delivery worker, which pushes on its own threads: nothing here
 * waits for a receiver.
 */
public final class EventOutbox {

    /** No receivers, no delivery (a feed-only replica writes no revocation). */
    public static final EventOutbox NONE = new EventOutbox(() -> { });

    private final Runnable wakeDelivery;

    /** @param wakeDelivery runs after a commit that added events; must return at once */
    public EventOutbox(Runnable wakeDelivery) {
        this.wakeDelivery = wakeDelivery;
    }

    /** Sessions ended, {@code sessionIds[i]} at log sequence {@code firstSequence + i}. */
    public void sessionsRevoked(Transaction tx, List<String> sessionIds, long firstSequence, String reason,
            Instant at) {
        List<String> receivers = receivers(tx, EventType.SESSION_REVOKED);
        if (!receivers.isEmpty()) {
            tx.store(EventOutboxStore.class).addSessions(receivers, firstSequence, sessionIds,
                    EventType.SESSION_REVOKED, reason, at);
            tx.afterCommit(wakeDelivery);
        }
    }

    /** Every session of a user ended (or, {@code userId} null, of every user), at log sequence {@code sequence}. */
    public void userRevoked(Transaction tx, EventType type, String userId, long sequence, String reason, Instant at) {
        List<String> receivers = receivers(tx, type);
        if (!receivers.isEmpty()) {
            tx.store(EventOutboxStore.class).addUser(receivers, sequence, userId, type, reason, at);
            tx.afterCommit(wakeDelivery);
        }
    }

    private static List<String> receivers(Transaction tx, EventType type) {
        return tx.store(EventReceiverStore.class).idsWanting(type);
    }
}
