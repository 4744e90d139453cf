package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.SpaceSeparated;
import dev.tokenauthority.authority.events.EventReceiver;
import dev.tokenauthority.authority.events.EventReceiverStore;
import dev.tokenauthority.authority.events.EventType;
import dev.tokenauthority.authority.keys.KeyEncryptionKeys;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The SQL behind {@link EventReceiverStore}. Event types are stored space-separated by short name;
 * the lease is a compare-and-set on {@code lease_owner} and {@code lease_until}, the same on H2
 * and PostgreSQL (no {@code SKIP LOCKED}, which would hold a transaction open for a push).
 */
final class JdbiEventReceiverStore implements EventReceiverStore {

    private static final String SELECT = """
            SELECT r.id, r.endpoint_url, r.audience, r.event_types, r.auth_header_kek, r.auth_header_sealed,
                   r.created_at, r.last_success_at, r.last_failure_at, r.last_failure_reason, r.consecutive_failures,
                   (SELECT COUNT(*) FROM event_outbox o WHERE o.receiver_id = r.id) AS pending
            FROM event_receivers r
            """;

    private final Handle handle;

    JdbiEventReceiverStore(Handle handle) {
        this.handle = handle;
    }

    @Override
    public void insert(EventReceiver receiver) {
        KeyEncryptionKeys.Sealed header = receiver.authHeader();
        handle.createUpdate("""
                        INSERT INTO event_receivers (id, endpoint_url, audience, event_types, auth_header_kek,
                            auth_header_sealed, created_at)
                        VALUES (:id, :url, :audience, :types, :kek, :sealed, :createdAt)""")
                .bind("id", receiver.id())
                .bind("url", receiver.endpointUrl())
                .bind("audience", receiver.audience())
                .bind("types", SpaceSeparated.join(receiver.eventTypes().stream().map(EventType::shortName).toList()))
                .bind("kek", header == null ? null : header.kekId())
                .bind("sealed", header == null ? null : header.ciphertext())
                .bind("createdAt", receiver.createdAt())
                .execute();
    }

    @Override
    public Optional<EventReceiver> findById(String id) {
        return handle.createQuery(SELECT + " WHERE r.id = :id").bind("id", id)
                .map((rs, ctx) -> receiver(rs)).findOne();
    }

    @Override
    public List<EventReceiver> list() {
        return handle.createQuery(SELECT + " ORDER BY r.created_at, r.id").map((rs, ctx) -> receiver(rs)).list();
    }

    @Override
    public int delete(String id) {
        // Explicitly first, rather than trusting every database to cascade the same way.
        handle.createUpdate("DELETE FROM event_outbox WHERE receiver_id = :id").bind("id", id).execute();
        return handle.createUpdate("DELETE FROM event_receivers WHERE id = :id").bind("id", id).execute();
    }

    @Override
    public List<String> idsWanting(EventType type) {
        // A handful of receivers at most: filtered here rather than with a LIKE on the list.
        return handle.createQuery("SELECT id, event_types FROM event_receivers ORDER BY id")
                .map((rs, ctx) -> SpaceSeparated.split(rs.getString("event_types")).contains(type.shortName())
                        ? rs.getString("id") : null)
                .list().stream().filter(id -> id != null).toList();
    }

    @Override
    public List<String> idsWithPendingUnleased(Instant now) {
        return handle.createQuery("""
                        SELECT r.id FROM event_receivers r
                        WHERE (r.lease_until IS NULL OR r.lease_until < :now)
                          AND EXISTS (SELECT 1 FROM event_outbox o WHERE o.receiver_id = r.id)
                        ORDER BY r.id""")
                .bind("now", now).mapTo(String.class).list();
    }

    @Override
    public boolean lease(String id, String owner, Instant now, Instant until) {
        return handle.createUpdate("""
                        UPDATE event_receivers SET lease_owner = :owner, lease_until = :until
                        WHERE id = :id AND (lease_until IS NULL OR lease_until < :now OR lease_owner = :owner)""")
                .bind("id", id).bind("owner", owner).bind("now", now).bind("until", until).execute() == 1;
    }

    @Override
    public void release(String id, String owner) {
        handle.createUpdate("""
                        UPDATE event_receivers SET lease_owner = NULL, lease_until = NULL
                        WHERE id = :id AND lease_owner = :owner""")
                .bind("id", id).bind("owner", owner).execute();
    }

    @Override
    public void recordSuccess(String id, Instant at) {
        handle.createUpdate("UPDATE event_receivers SET last_success_at = :at, consecutive_failures = 0 WHERE id = :id")
                .bind("id", id).bind("at", at).execute();
    }

    @Override
    public void recordFailure(String id, Instant at, String reason, boolean consecutive) {
        handle.createUpdate("""
                        UPDATE event_receivers SET last_failure_at = :at, last_failure_reason = :reason,
                            consecutive_failures = CASE WHEN :consecutive THEN consecutive_failures + 1 ELSE 0 END
                        WHERE id = :id""")
                .bind("id", id).bind("at", at).bind("reason", reason).bind("consecutive", consecutive).execute();
    }

    private static EventReceiver receiver(ResultSet rs) throws SQLException {
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        SpaceSeparated.split(rs.getString("event_types")).forEach(name -> EventType.parse(name).ifPresent(types::add));
        String sealed = rs.getString("auth_header_sealed");
        return new EventReceiver(rs.getString("id"), rs.getString("endpoint_url"), rs.getString("audience"), types,
                sealed == null ? null : new KeyEncryptionKeys.Sealed(rs.getString("auth_header_kek"), sealed),
                Rows.instant(rs, "created_at"),
                new EventReceiver.DeliveryStatus(rs.getLong("pending"), Rows.instant(rs, "last_success_at"),
                        Rows.instant(rs, "last_failure_at"), rs.getString("last_failure_reason"),
                        rs.getInt("consecutive_failures")));
    }
}
