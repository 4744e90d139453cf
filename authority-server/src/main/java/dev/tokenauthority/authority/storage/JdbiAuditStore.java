package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.audit.Actor;
import dev.tokenauthority.authority.audit.AuditEvent;
import dev.tokenauthority.authority.audit.AuditQuery;
import dev.tokenauthority.authority.audit.AuditStore;
import dev.tokenauthority.authority.audit.CallContext;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** The SQL behind {@link AuditStore}. */
final class JdbiAuditStore implements AuditStore {

    private static final Rows.AuditEventMapper MAPPER = new Rows.AuditEventMapper();
    /** Events with their target user's current email: the console shows it where an id alone would not help. */
    private static final String SELECT_EVENTS = """
            SELECT a.*, u.email AS target_email FROM audit_events a
            LEFT JOIN users u ON a.target_type = 'user' AND u.id = a.target_id""";

    private final Handle handle;

    JdbiAuditStore(Handle handle) {
        this.handle = handle;
    }

    @Override
    public long insert(CallContext context, Instant occurredAt, String action, String targetType, String targetId,
            String reason, String details) {
        Actor actor = context.actor();
        return handle.createUpdate("""
                INSERT INTO audit_events (occurred_at, actor_type, actor_id, actor_email, action, target_type,
                                          target_id, reason, details, caller_ip)
                VALUES (:occurredAt, :actorType, :actorId, :actorEmail, :action, :targetType, :targetId, :reason,
                        :details, :callerIp)
                """).bind("occurredAt", occurredAt).bind("actorType", actor.type().name()).bind("actorId", actor.id())
                .bind("actorEmail", actor.email()).bind("action", action).bind("targetType", targetType)
                .bind("targetId", targetId).bind("reason", reason).bind("details", details)
                .bind("callerIp", context.callerIp())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    @Override
    public void insertAll(CallContext context, Instant occurredAt, String action, String targetType,
            List<String> targetIds, List<String> details, String reason) {
        Actor actor = context.actor();
        handle.createUpdate("""
                INSERT INTO audit_events (occurred_at, actor_type, actor_id, actor_email, action, target_type,
                                          target_id, reason, details, caller_ip)
                SELECT CAST(:at AS TIMESTAMP WITH TIME ZONE), :actorType, CAST(:actorId AS VARCHAR(128)),
                       CAST(:actorEmail AS VARCHAR(320)), :action, :targetType, t.target_id,
                       CAST(:reason AS VARCHAR(1024)), t.details, CAST(:callerIp AS VARCHAR(64))
                FROM UNNEST(:targetIds, :details) AS t(target_id, details)
                """).bind("at", occurredAt).bind("actorType", actor.type().name()).bind("actorId", actor.id())
                .bind("actorEmail", actor.email()).bind("action", action).bind("targetType", targetType)
                .bindArray("targetIds", String.class, targetIds).bindArray("details", String.class, details)
                .bind("reason", reason).bind("callerIp", context.callerIp()).execute();
    }

    @Override
    public void updateDetails(long id, String details) {
        handle.createUpdate("UPDATE audit_events SET details = :details WHERE id = :id")
                .bind("details", details).bind("id", id).execute();
    }

    @Override
    public List<AuditEvent> findByTarget(String targetId) {
        return handle.createQuery(SELECT_EVENTS + " WHERE a.target_id = :targetId ORDER BY a.id")
                .bind("targetId", targetId).map(MAPPER).list();
    }

    @Override
    public List<AuditEvent> findByTargets(String first, String second) {
        return handle.createQuery(SELECT_EVENTS + " WHERE a.target_id IN (:first, :second) ORDER BY a.id")
                .bind("first", first).bind("second", second).map(MAPPER).list();
    }

    @Override
    public List<AuditEvent> findByAction(String action) {
        return handle.createQuery(SELECT_EVENTS + " WHERE a.action = :action ORDER BY a.id")
                .bind("action", action).map(MAPPER).list();
    }

    @Override
    public List<AuditEvent> search(AuditQuery query, Long beforeId, int limit) {
        SqlConditions where = new SqlConditions();
        where.equal("actor_id", "actorId", query.actorId());
        where.equal("action", "action", query.action());
        where.equal("target_id", "targetId", query.targetId());
        where.range("occurred_at", "occurred", query.occurredAfter(), query.occurredBefore());
        if (beforeId != null) {
            where.add("a.id < :beforeId");
            where.bind("beforeId", beforeId);
        }
        return where.bindTo(handle.createQuery(SELECT_EVENTS + where.where()
                + " ORDER BY a.id DESC LIMIT :limit")).bind("limit", limit)
                .map(MAPPER).list();
    }
}
