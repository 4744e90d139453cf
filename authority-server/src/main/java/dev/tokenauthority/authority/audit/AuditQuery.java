package dev.tokenauthority.authority.audit;

import java.time.Instant;

/**
 * Which audit events to list; null fields do not filter. The time range is half-open:
 * {@code occurredAfter <= occurred_at < occurredBefore}.
 */
public record AuditQuery(String actorId, String action, String targetId, Instant occurredAfter,
        Instant occurredBefore) {
}
