package dev.tokenauthority.authority.audit;

import dev.tokenauthority.authority.JsonStrings;
import dev.tokenauthority.authority.Transaction;
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
    public long record(Transaction tx, CallContext context, Instant at, String action, String targetType,
            String targetId, String reason, Map<String, ?> details) {
        return tx.store(AuditStore.class).insert(context, at, action, targetType, targetId, reason, toJson(details));
    }

    /**
     * Replaces an event's details: an aggregated event (one per account and throttle window) carries
     * a count that each later occurrence raises, so an attack cannot flood the trail.
     */
    public void updateDetails(Transaction tx, long eventId, Map<String, ?> details) {
        tx.store(AuditStore.class).updateDetails(eventId, toJson(details));
    }

    /** One event per target, with the same details, as one statement: bulk operations audit every item. */
    public void recordAll(Transaction tx, CallContext context, Instant at, String action, String targetType,
            List<String> targetIds, String reason, Map<String, ?> details) {
        tx.store(AuditStore.class).insertAll(context, at, action, targetType, targetIds,
                Collections.nCopies(targetIds.size(), toJson(details)), reason);
    }

    /** One event per target, each with its own details, as one statement. */
    public void recordEach(Transaction tx, CallContext context, Instant at, String action, String targetType,
            Map<String, ? extends Map<String, ?>> detailsByTarget, String reason) {
        tx.store(AuditStore.class).insertAll(context, at, action, targetType, List.copyOf(detailsByTarget.keySet()),
                detailsByTarget.values().stream().map(AuditLog::toJson).toList(), reason);
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
