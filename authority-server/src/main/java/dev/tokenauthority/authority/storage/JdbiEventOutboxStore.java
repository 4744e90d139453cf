package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.events.EventOutboxStore;
import dev.tokenauthority.authority.events.EventType;
import dev.tokenauthority.authority.events.PendingEvent;
import dev.tokenauthority.authority.crypto.Secrets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The SQL behind {@link EventOutboxStore}: batched inserts in the revocation's transaction (a
 * session's user is read from its row in the same statement), and reads by receiver in sequence order.
 */
final class JdbiEventOutboxStore implements EventOutboxStore {

    private static final String COLUMNS = "receiver_id, sequence, event_id, event_type, user_id, session_id, reason, "
            + "event_at";

    private final Handle handle;

    JdbiEventOutboxStore(Handle handle) {
        this.handle = handle;
    }

    @Override
    public void addSessions(List<String> receiverIds, long firstSequence, List<String> sessionIds, EventType type,
            String reason, Instant eventAt) {
        PreparedBatch batch = handle.prepareBatch("INSERT INTO event_outbox (" + COLUMNS + ") "
                + "SELECT :receiverId, :sequence, :eventId, :type, s.user_id, s.id, :reason, :eventAt "
                + "FROM sessions s WHERE s.id = :sessionId");
        for (String receiverId : receiverIds) {
            for (int i = 0; i < sessionIds.size(); i++) {
                batch.bind("receiverId", receiverId).bind("sequence", firstSequence + i)
                        .bind("eventId", newEventId()).bind("type", type.name()).bind("reason", reason)
                        .bind("eventAt", eventAt).bind("sessionId", sessionIds.get(i)).add();
            }
        }
        batch.execute();
    }

    @Override
    public void addUser(List<String> receiverIds, long sequence, String userId, EventType type, String reason,
            Instant eventAt) {
        PreparedBatch batch = handle.prepareBatch("INSERT INTO event_outbox (" + COLUMNS + ") "
                + "VALUES (:receiverId, :sequence, :eventId, :type, :userId, NULL, :reason, :eventAt)");
        for (String receiverId : receiverIds) {
            batch.bind("receiverId", receiverId).bind("sequence", sequence).bind("eventId", newEventId())
                    .bind("type", type.name()).bind("userId", userId).bind("reason", reason)
                    .bind("eventAt", eventAt).add();
        }
        batch.execute();
    }

    @Override
    public Optional<PendingEvent> next(String receiverId) {
        return handle.createQuery("SELECT " + COLUMNS + ", attempts FROM event_outbox WHERE receiver_id = :id "
                        + "ORDER BY sequence LIMIT 1")
                .bind("id", receiverId)
                .map((rs, ctx) -> new PendingEvent(rs.getString("receiver_id"), rs.getLong("sequence"),
                        rs.getString("event_id"), EventType.valueOf(rs.getString("event_type")),
                        rs.getString("user_id"), rs.getString("session_id"), rs.getString("reason"),
                        Rows.instant(rs, "event_at"), rs.getInt("attempts")))
                .findOne();
    }

    @Override
    public void countAttempt(String receiverId, long sequence) {
        handle.createUpdate("UPDATE event_outbox SET attempts = attempts + 1 "
                        + "WHERE receiver_id = :id AND sequence = :sequence")
                .bind("id", receiverId).bind("sequence", sequence).execute();
    }

    @Override
    public void remove(String receiverId, long sequence) {
        handle.createUpdate("DELETE FROM event_outbox WHERE receiver_id = :id AND sequence = :sequence")
                .bind("id", receiverId).bind("sequence", sequence).execute();
    }

    @Override
    public long backlog() {
        return handle.createQuery("SELECT COUNT(*) FROM event_outbox").mapTo(Long.class).one();
    }

    /** The SET's jti (RFC 8417 section 2.2): unique per event and receiver, stable across retries. */
    private static String newEventId() {
        return Secrets.newId("set_");
    }
}
