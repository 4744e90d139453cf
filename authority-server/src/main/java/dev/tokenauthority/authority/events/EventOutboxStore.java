package dev.tokenauthority.authority.events;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The events waiting to be pushed, one row per event and receiver, written in the revocation's transaction. */
public interface EventOutboxStore {

    /**
     * One event per receiver and session: the session {@code sessionIds[i]} at log sequence
     * {@code firstSequence + i}, its user read from the session's row.
     */
    void addSessions(List<String> receiverIds, long firstSequence, List<String> sessionIds, EventType type,
            String reason, Instant eventAt);

    /** One event per receiver for a user ({@code userId} null: every user). */
    void addUser(List<String> receiverIds, long sequence, String userId, EventType type, String reason,
            Instant eventAt);

    /** The receiver's next event: the lowest sequence still pending. */
    Optional<PendingEvent> next(String receiverId);

    /** Counts a failed attempt at the event. */
    void countAttempt(String receiverId, long sequence);

    /** Removes the event: delivered, refused for good, or expired. */
    void remove(String receiverId, long sequence);

    /** Events pending for every receiver: the backlog the metrics report. */
    long backlog();
}
