package dev.tokenauthority.authority.audit;

import dev.tokenauthority.authority.JsonStrings;
import dev.tokenauthority.authority.storage.AuditDao;
import dev.tokenauthority.authority.storage.Tx;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes audit events inside the caller's transaction, so a change and its audit entry commit
 * together. Details are a flat JSON object of non-secret values.
 */
public final class AuditLog {

    /** Records one event; returns its id. */
    public long record(Tx handle, CallContext context, Instant at, String action, String targetType,
            String targetId, String reason, Map<String, ?> details) {
        Actor actor = context.actor();
        return handle.attach(AuditDao.class).insert(at, actor.type().name(), actor.id(), actor.email(), action,
                targetType, targetId, reason, toJson(details), context.callerIp());
    }

    /**
     * Replaces an event's details: an aggregated event (one per account and throttle window) carries
     * a count that each later occurrence raises, so an attack cannot flood the trail.
     */
    public void updateDetails(Tx handle, long eventId, Map<String, ?> details) {
        handle.attach(AuditDao.class).updateDetails(eventId, toJson(details));
    }

    /** One event per target, with the same details, as one statement: bulk operations audit every item. */
    public void recordAll(Tx handle, CallContext context, Instant at, String action, String targetType,
            List<String> targetIds, String reason, Map<String, ?> details) {
        insert(handle, context, at, action, targetType, targetIds, Collections.nCopies(targetIds.size(), toJson(details)),
                reason);
    }

    /** One event per target, each with its own details, as one statement. */
    public void recordEach(Tx handle, CallContext context, Instant at, String action, String targetType,
            Map<String, ? extends Map<String, ?>> detailsByTarget, String reason) {
        insert(handle, context, at, action, targetType, List.copyOf(detailsByTarget.keySet()),
                detailsByTarget.values().stream().map(AuditLog::toJson).toList(), reason);
    }

    private static void insert(Tx handle, CallContext context, Instant at, String action, String targetType,
            List<String> targetIds, List<String> details, String reason) {
        Actor actor = context.actor();
        handle.createUpdate("""
                INSERT INTO audit_events (occurred_at, actor_type, actor_id, actor_email, action, target_type,
                                          target_id, reason, details, caller_ip)
                SELECT CAST(:at AS TIMESTAMP WITH TIME ZONE), :actorType, CAST(:actorId AS VARCHAR(128)),
                       CAST(:actorEmail AS VARCHAR(320)), :action, :targetType, t.target_id,
                       CAST(:reason AS VARCHAR(1024)), t.details, CAST(:callerIp AS VARCHAR(64))
                FROM UNNEST(:targetIds, :details) AS t(target_id, details)
                """).bind("at", at).bind("actorType", actor.type().name()).bind("actorId", actor.id())
                .bind("actorEmail", actor.email()).bind("action", action).bind("targetType", targetType)
                .bindArray("targetIds", String.class, targetIds).bindArray("details", String.class, details)
                .bind("reason", reason).bind("callerIp", context.callerIp()).execute();
    }

    static String toJson(Map<String, ?> details) {
        if (details == null || details.isEmpty()) {
            return null;
        }
        return details.entrySet().stream()
                .map(e -> JsonStrings.quote(e.getKey()) + ":" + value(e.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static String value(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return JsonStrings.quote(value.toString());
    }
}
