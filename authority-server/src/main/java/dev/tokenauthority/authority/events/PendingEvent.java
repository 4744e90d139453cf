package dev.tokenauthority.authority.events;

import java.time.Instant;

/**
 * One event waiting in the outbox for one receiver. {@code sequence} is the revocation-log sequence
 * of what it describes, the receiver's delivery order. The subject: a session of a user (both set),
 * a user (only {@code userId}), or every user of this issuer (neither: a global revocation).
 */
public record PendingEvent(String receiverId, long sequence, String eventId, EventType type, String userId,
        String sessionId, String reason, Instant eventAt, int attempts) {
}
