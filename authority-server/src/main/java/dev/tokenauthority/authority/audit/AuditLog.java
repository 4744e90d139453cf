package dev.tokenauthority.authority.audit;

import dev.tokenauthority.authority.format.JsonStrings;
import dev.tokenauthority.authority.storage.AuditDao;
import dev.tokenauthority.authority.storage.Tx;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes audit events inside the caller's transaction, so a change and its audit entry commit
 * together. Details are a flat JSON object of non-secret values.
 */
public final class AuditLog {

    public void record(Tx handle, CallContext context, Instant at, String action, String targetType,
            String targetId, String reason, Map<String, ?> details) {
        Actor actor = context.actor();
        handle.attach(AuditDao.class).insert(at, actor.type().name(), actor.id(), actor.email(), action,
                targetType, targetId, reason, toJson(details), context.callerIp());
    }

    /** One event per target, as one statement: bulk operations audit every item they touch. */
    public void recordAll(Tx handle, CallContext context, Instant at, String action, String targetType,
            List<String> targetIds, String reason, Map<String, ?> details) {
        Actor actor = context.actor();
        handle.createUpdate("""
                INSERT INTO audit_events (occurred_at, actor_type, actor_id, actor_email, action, target_type,
                                          target_id, reason, details, caller_ip)
                SELECT CAST(:at AS TIMESTAMP WITH TIME ZONE), :actorType, CAST(:actorId AS VARCHAR(128)),
                       CAST(:actorEmail AS VARCHAR(320)), :action, :targetType, t.target_id,
                       CAST(:reason AS VARCHAR(1024)), CAST(:details AS VARCHAR(8192)), CAST(:callerIp AS VARCHAR(64))
                FROM UNNEST(:targetIds) AS t(target_id)
                """).bind("at", at).bind("actorType", actor.type().name()).bind("actorId", actor.id())
                .bind("actorEmail", actor.email()).bind("action", action).bind("targetType", targetType)
                .bindArray("targetIds", String.class, targetIds).bind("reason", reason).bind("details", toJson(details))
                .bind("callerIp", context.callerIp()).execute();
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
