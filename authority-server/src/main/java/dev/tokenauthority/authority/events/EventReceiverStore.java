package dev.tokenauthority.authority.events;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The registered receivers, their delivery status, and the lease that lets one replica at a time
 * deliver to a receiver.
 */
public interface EventReceiverStore {

    void insert(EventReceiver receiver);

    /** The receiver with its status (the pending count read from the outbox). */
    Optional<EventReceiver> findById(String id);

    /** Every receiver, oldest first, with its status. */
    List<EventReceiver> list();

    /** Deletes the receiver and its pending events; the number of receivers deleted (0 or 1). */
    int delete(String id);

    /** The ids of the receivers that want events of this type. */
    List<String> idsWanting(EventType type);

    /** Receivers with pending events whose lease is free or expired at {@code now}. */
    List<String> idsWithPendingUnleased(Instant now);

    /**
     * Takes or renews the lease of a receiver for {@code owner} until {@code until}: true when the
     * lease was free, expired at {@code now}, or already {@code owner}'s. One statement, a
     * compare-and-set, so of two replicas racing for it exactly one wins.
     */
    boolean lease(String id, String owner, Instant now, Instant until);

    /** Gives the lease back, if {@code owner} still holds it. */
    void release(String id, String owner);

    /** Records an accepted event: clears the failure count. */
    void recordSuccess(String id, Instant at);

    /** Records a failed attempt or a refused event with why; {@code consecutive} counts the failures in a row. */
    void recordFailure(String id, Instant at, String reason, boolean consecutive);
}
