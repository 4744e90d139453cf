package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.audit.AuditEvent;
import dev.tokenauthority.authority.audit.AuditQuery;
import dev.tokenauthority.authority.grant.GrantListItem;
import java.util.List;

/**
 * The SQL behind the directory listings: grants (by id) and audit events (newest first, by id).
 * Keyset pages like {@link JdbiTokenSearch}: each page continues strictly after the last row of the
 * previous one, so rows added meanwhile are neither repeated nor skipped.
 */
public final class DirectorySearch {

    private static final String GRANTS = "SELECT g.*, u.email AS user_email FROM grants g JOIN users u ON u.id = g.user_id";

    private DirectorySearch() {}

    /** Grants of the user and/or client (null: any), with ids after {@code afterId} (null: from the first). */
    public static List<GrantListItem> grants(Tx tx, String userId, String clientId, String afterId, int limit) {
        SqlConditions where = new SqlConditions();
        where.equal("g.user_id", "userId", userId);
        where.equal("g.client_id", "clientId", clientId);
        if (afterId != null) {
            where.add("g.id > :afterId");
            where.bind("afterId", afterId);
        }
        return where.bindTo(tx.createQuery(GRANTS + where.where() + " ORDER BY g.id LIMIT :limit"))
                .bind("limit", limit)
                .map((rs, ctx) -> new GrantListItem(new Rows.GrantMapper().map(rs, ctx), rs.getString("user_email")))
                .list();
    }

    /** The grant with this id and its user's email. */
    public static java.util.Optional<GrantListItem> grant(Tx tx, String grantId) {
        return tx.createQuery(GRANTS + " WHERE g.id = :id").bind("id", grantId)
                .map((rs, ctx) -> new GrantListItem(new Rows.GrantMapper().map(rs, ctx), rs.getString("user_email")))
                .findOne();
    }

    /** Audit events matching {@code query}, newest first, with ids below {@code beforeId} (null: from the newest). */
    public static List<AuditEvent> auditEvents(Tx tx, AuditQuery query, Long beforeId, int limit) {
        SqlConditions where = new SqlConditions();
        where.equal("actor_id", "actorId", query.actorId());
        where.equal("action", "action", query.action());
        where.equal("target_id", "targetId", query.targetId());
        where.range("occurred_at", "occurred", query.occurredAfter(), query.occurredBefore());
        if (beforeId != null) {
            where.add("id < :beforeId");
            where.bind("beforeId", beforeId);
        }
        return where.bindTo(tx.createQuery("SELECT * FROM audit_events" + where.where()
                + " ORDER BY id DESC LIMIT :limit")).bind("limit", limit)
                .map(new Rows.AuditEventMapper()).list();
    }
}
