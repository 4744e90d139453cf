package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.grant.Grant;
import dev.tokenauthority.authority.grant.GrantListItem;
import dev.tokenauthority.authority.grant.GrantStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The SQL behind {@link GrantStore}. */
final class JdbiGrantStore implements GrantStore {

    private static final Rows.GrantMapper MAPPER = new Rows.GrantMapper();

    private final Handle handle;

    JdbiGrantStore(Handle handle) {
        this.handle = handle;
    }

    @Override
    public Optional<Grant> find(String userId, String clientId) {
        return handle.createQuery("SELECT * FROM grants WHERE user_id = :userId AND client_id = :clientId")
                .bind("userId", userId).bind("clientId", clientId).map(MAPPER).findOne();
    }

    @Override
    public void insert(String id, String userId, String clientId, String scopes, Instant at) {
        handle.createUpdate("""
                INSERT INTO grants (id, user_id, client_id, scopes, created_at, updated_at)
                VALUES (:id, :userId, :clientId, :scopes, :at, :at)
                """).bind("id", id).bind("userId", userId).bind("clientId", clientId).bind("scopes", scopes)
                .bind("at", at).execute();
    }

    @Override
    public int updateScopes(String id, String scopes, Instant at) {
        return handle.createUpdate("UPDATE grants SET scopes = :scopes, updated_at = :at WHERE id = :id")
                .bind("scopes", scopes).bind("at", at).bind("id", id).execute();
    }

    @Override
    public int delete(String userId, String clientId) {
        return handle.createUpdate("DELETE FROM grants WHERE user_id = :userId AND client_id = :clientId")
                .bind("userId", userId).bind("clientId", clientId).execute();
    }

    @Override
    public Optional<Grant> findById(String id) {
        return handle.createQuery("SELECT * FROM grants WHERE id = :id").bind("id", id).map(MAPPER).findOne();
    }

    @Override
    public int deleteById(String id) {
        return handle.createUpdate("DELETE FROM grants WHERE id = :id").bind("id", id).execute();
    }

    @Override
    public List<GrantListItem> findAfter(String userId, String clientId, String afterId, int limit) {
        SqlConditions where = new SqlConditions();
        where.equal("g.user_id", "userId", userId);
        where.equal("g.client_id", "clientId", clientId);
        if (afterId != null) {
            where.add("g.id > :afterId");
            where.bind("afterId", afterId);
        }
        return where.bindTo(handle.createQuery(
                        "SELECT g.*, u.email AS user_email FROM grants g JOIN users u ON u.id = g.user_id"
                                + where.where() + " ORDER BY g.id LIMIT :limit"))
                .bind("limit", limit)
                .map((rs, ctx) -> new GrantListItem(MAPPER.map(rs, ctx), rs.getString("user_email")))
                .list();
    }
}
