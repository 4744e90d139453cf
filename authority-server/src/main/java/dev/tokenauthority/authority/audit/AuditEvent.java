package dev.tokenauthority.authority.audit;

import java.time.Instant;

/**
 * One entry of the audit trail. {@code details} is a small JSON object (before/after, counts); {@code targetEmail} is
 * the target user's email as of reading (null unless the target is a user who still exists).
 */
public record AuditEvent(
        long id,
        Instant occurredAt,
        Actor actor,
        String action,
        String targetType,
        String targetId,
        String reason,
        String details,
        String callerIp,
        String targetEmail) {
}
