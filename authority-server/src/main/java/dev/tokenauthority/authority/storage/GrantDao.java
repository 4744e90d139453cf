package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.grant.Grant;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterRowMapper(Rows.GrantMapper.class)
public interface GrantDao {

    @SqlQuery("SELECT * FROM grants WHERE user_id = :userId AND client_id = :clientId")
    Optional<Grant> find(String userId, String clientId);

    @SqlUpdate("""
            INSERT INTO grants (id, user_id, client_id, scopes, created_at, updated_at)
            VALUES (:id, :userId, :clientId, :scopes, :at, :at)
            """)
    void insert(String id, String userId, String clientId, String scopes, Instant at);

    @SqlUpdate("UPDATE grants SET scopes = :scopes, updated_at = :at WHERE id = :id")
    int updateScopes(String id, String scopes, Instant at);

    @SqlUpdate("DELETE FROM grants WHERE user_id = :userId AND client_id = :clientId")
    int delete(String userId, String clientId);

    @SqlQuery("SELECT * FROM grants WHERE id = :id")
    Optional<Grant> findById(String id);

    @SqlUpdate("DELETE FROM grants WHERE id = :id")
    int deleteById(String id);
}
