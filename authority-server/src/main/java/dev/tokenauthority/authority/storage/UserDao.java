package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.user.User;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Users (a hot-path store: login and every admin call read it; fluent API, see {@link SessionDao} for why). */
public final class UserDao {

    private static final Rows.UserMapper MAPPER = new Rows.UserMapper();

    private final Handle handle;

    public UserDao(Handle handle) {
        this.handle = handle;
    }

    public void insert(User u, String emailNormalized, String roles) {
        handle.createUpdate("""
                INSERT INTO users (id, email, email_normalized, password_hash, roles, disabled,
                                   token_invalidated_at, created_at, updated_at)
                VALUES (:id, :email, :emailNormalized, :passwordHash, :roles, :disabled,
                        :tokenInvalidatedAt, :createdAt, :updatedAt)
                """)
                .bind("id", u.id()).bind("email", u.email()).bind("emailNormalized", emailNormalized)
                .bind("passwordHash", u.passwordHash()).bind("roles", roles).bind("disabled", u.disabled())
                .bind("tokenInvalidatedAt", u.tokenInvalidatedAt()).bind("createdAt", u.createdAt())
                .bind("updatedAt", u.updatedAt())
                .execute();
    }

    public Optional<User> findById(String id) {
        return handle.createQuery("SELECT * FROM users WHERE id = :id").bind("id", id).map(MAPPER).findOne();
    }

    public Optional<User> findByEmail(String emailNormalized) {
        return handle.createQuery("SELECT * FROM users WHERE email_normalized = :email")
                .bind("email", emailNormalized).map(MAPPER).findOne();
    }

    /**
     * The user, its row locked until the transaction ends: read-modify-write of roles and the
     * disabled flag, and logins that must see them. The lock is taken by an UPDATE of a non-key
     * column rather than SELECT ... FOR UPDATE: on PostgreSQL that is the weaker FOR NO KEY UPDATE
     * lock, which does not conflict with the KEY SHARE lock a refresh takes on the user row when it
     * inserts a token referencing it. With FOR UPDATE, a force logout waiting for a refresh's token
     * while that refresh waited for the user row deadlocked (H2 takes no lock for the reference).
     */
    public Optional<User> findByIdForUpdate(String id) {
        handle.createUpdate("UPDATE users SET updated_at = updated_at WHERE id = :id").bind("id", id).execute();
        return handle.createQuery("SELECT * FROM users WHERE id = :id").bind("id", id).map(MAPPER).findOne();
    }

    public int setTokenInvalidatedAt(String id, Instant at) {
        return handle.createUpdate("UPDATE users SET token_invalidated_at = :at, updated_at = :at WHERE id = :id")
                .bind("at", at).bind("id", id).execute();
    }

    public int updateRoles(String id, String roles, Instant at) {
        return handle.createUpdate("UPDATE users SET roles = :roles, updated_at = :at WHERE id = :id")
                .bind("roles", roles).bind("at", at).bind("id", id).execute();
    }

    public int setDisabled(String id, boolean disabled, Instant at) {
        return handle.createUpdate("UPDATE users SET disabled = :disabled, updated_at = :at WHERE id = :id")
                .bind("disabled", disabled).bind("at", at).bind("id", id).execute();
    }

    public int delete(String id) {
        return handle.createUpdate("DELETE FROM users WHERE id = :id").bind("id", id).execute();
    }

    public long count() {
        return handle.createQuery("SELECT COUNT(*) FROM users").mapTo(Long.class).one();
    }
}
