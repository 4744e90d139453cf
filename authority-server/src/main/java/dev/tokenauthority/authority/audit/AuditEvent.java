package dev.tokenauthority.authority.audit;

import java.time.Instant;

/** One entry of the audit trail. {@code details} is a small JSON object (before/after, counts). */
public record AuditEvent(
        long id,
        Instant occurredAt,
        Actor actor,
        String action,
        String targetType,
        String targetId,
        String reason,
        String details,
        String callerIp) {
}
