package dev.tokenauthority.authority.audit;

import java.time.Instant;
import java.util.List;

/**
 * The audit trail: one event per audited change, with who made it, from where, on what and why.
 * Events are only ever added, except for the count an aggregated event carries.
 */
public interface AuditStore {

    /** Records one event; returns its id. */
    long insert(CallContext context, Instant occurredAt, String action, String targetType, String targetId,
            String reason, String details);

    /** Records one event per target, each with its details (same order as the targets), as one statement. */
    void insertAll(CallContext context, Instant occurredAt, String action, String targetType, List<String> targetIds,
            List<String> details, String reason);

    /** For an aggregated event (login.failed, login.throttled) whose count later occurrences raise. */
    void updateDetails(long id, String details);

    List<AuditEvent> findByTarget(String targetId);

    List<AuditEvent> findByTargets(String first, String second);

    List<AuditEvent> findByAction(String action);

    /** Events matching {@code query}, newest first, with ids below {@code beforeId} (null: from the newest). */
    List<AuditEvent> search(AuditQuery query, Long beforeId, int limit);
}
