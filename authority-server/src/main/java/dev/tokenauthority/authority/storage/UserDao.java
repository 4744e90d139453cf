package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.user.User;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterRowMapper(Rows.UserMapper.class)
public interface UserDao {

    @SqlUpdate("""
            INSERT INTO users (id, email, email_normalized, password_hash, roles, disabled,
                               token_invalidated_at, created_at, updated_at)
            VALUES (:u.id, :u.email, :emailNormalized, :u.passwordHash, :roles, :u.disabled,
                    :u.tokenInvalidatedAt, :u.createdAt, :u.updatedAt)
            """)
    void insert(@BindMethods("u") User u, String emailNormalized, String roles);

    @SqlQuery("SELECT * FROM users WHERE id = :id")
    Optional<User> findById(String id);

    @SqlQuery("SELECT * FROM users WHERE email_normalized = :emailNormalized")
    Optional<User> findByEmail(String emailNormalized);

    @SqlUpdate("UPDATE users SET token_invalidated_at = :at, updated_at = :at WHERE id = :id")
    int setTokenInvalidatedAt(String id, Instant at);

    @SqlQuery("SELECT COUNT(*) FROM users")
    long count();

    /** The user, its row locked until the transaction ends: read-modify-write of roles and the disabled flag. */
    @SqlQuery("SELECT * FROM users WHERE id = :id FOR UPDATE")
    Optional<User> findByIdForUpdate(String id);

    @SqlUpdate("UPDATE users SET roles = :roles, updated_at = :at WHERE id = :id")
    int updateRoles(String id, String roles, Instant at);

    @SqlUpdate("UPDATE users SET disabled = :disabled, updated_at = :at WHERE id = :id")
    int setDisabled(String id, boolean disabled, Instant at);

    @SqlUpdate("DELETE FROM users WHERE id = :id")
    int delete(String id);
}
