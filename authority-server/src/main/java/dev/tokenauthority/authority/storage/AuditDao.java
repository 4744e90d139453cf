package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.audit.AuditEvent;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterRowMapper(Rows.AuditEventMapper.class)
public interface AuditDao {

    @SqlUpdate("""
            INSERT INTO audit_events (occurred_at, actor_type, actor_id, actor_email, action, target_type,
                                      target_id, reason, details, caller_ip)
            VALUES (:occurredAt, :actorType, :actorId, :actorEmail, :action, :targetType, :targetId, :reason,
                    :details, :callerIp)
            """)
    @GetGeneratedKeys("id")
    long insert(Instant occurredAt, String actorType, String actorId, String actorEmail, String action,
            String targetType, String targetId, String reason, String details, String callerIp);

    /** For an aggregated event (login.failed, login.throttled) whose count later occurrences raise. */
    @SqlUpdate("UPDATE audit_events SET details = :details WHERE id = :id")
    void updateDetails(long id, String details);

    @SqlQuery("SELECT * FROM audit_events WHERE target_id = :targetId ORDER BY id")
    List<AuditEvent> findByTarget(String targetId);

    @SqlQuery("SELECT * FROM audit_events WHERE target_id IN (:first, :second) ORDER BY id")
    List<AuditEvent> findByTargets(String first, String second);

    @SqlQuery("SELECT * FROM audit_events WHERE action = :action ORDER BY id")
    List<AuditEvent> findByAction(String action);
}
