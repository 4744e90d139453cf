package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.DeletedRows;
import dev.tokenauthority.authority.listing.PageCursor;
import dev.tokenauthority.authority.user.User;
import dev.tokenauthority.authority.user.UserStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The SQL behind {@link UserStore}. */
final class JdbiUserStore implements UserStore {

    private static final Rows.UserMapper MAPPER = new Rows.UserMapper();

    private final Handle handle;

    JdbiUserStore(Handle handle) {
        this.handle = handle;
    }

    @Override
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

    @Override
    public Optional<User> findById(String id) {
        return handle.createQuery("SELECT * FROM users WHERE id = :id").bind("id", id).map(MAPPER).findOne();
    }

    @Override
    public Optional<User> findByEmail(String emailNormalized) {
        return handle.createQuery("SELECT * FROM users WHERE email_normalized = :email")
                .bind("email", emailNormalized).map(MAPPER).findOne();
    }

    @Override
    public Optional<User> findByIdForUpdate(String id) {
        handle.createUpdate("UPDATE users SET updated_at = updated_at WHERE id = :id").bind("id", id).execute();
        return handle.createQuery("SELECT * FROM users WHERE id = :id").bind("id", id).map(MAPPER).findOne();
    }

    @Override
    public int updateRoles(String id, String roles, Instant at) {
        return handle.createUpdate("UPDATE users SET roles = :roles, updated_at = :at WHERE id = :id")
                .bind("roles", roles).bind("at", at).bind("id", id).execute();
    }

    @Override
    public int setDisabled(String id, boolean disabled, Instant at) {
        return handle.createUpdate("UPDATE users SET disabled = :disabled, updated_at = :at WHERE id = :id")
                .bind("disabled", disabled).bind("at", at).bind("id", id).execute();
    }

    @Override
    public int delete(String id) {
        return handle.createUpdate("DELETE FROM users WHERE id = :id").bind("id", id).execute();
    }

    @Override
    public DeletedRows deleteOwnedRows(String userId) {
        return OwnedRows.delete(handle, OwnedRows.Owner.USER, userId);
    }

    @Override
    public long count() {
        return handle.createQuery("SELECT COUNT(*) FROM users").mapTo(Long.class).one();
    }

    @Override
    public List<User> findByEmailContaining(String text, PageCursor cursor, int limit) {
        SqlConditions where = emailContains(text);
        if (cursor != null) {
            where.add("(email_normalized > :cursorSort OR (email_normalized = :cursorSort AND id > :cursorId))");
            where.bind("cursorSort", cursor.sortValue());
            where.bind("cursorId", cursor.id());
        }
        return where.bindTo(handle.createQuery("SELECT * FROM users" + where.where()
                + " ORDER BY email_normalized, id LIMIT :limit")).bind("limit", limit)
                .map(MAPPER).list();
    }

    @Override
    public long countByEmailContaining(String text) {
        SqlConditions where = emailContains(text);
        return where.bindTo(handle.createQuery("SELECT COUNT(*) FROM users" + where.where())).mapTo(Long.class).one();
    }

    private static SqlConditions emailContains(String text) {
        SqlConditions where = new SqlConditions();
        where.contains(text, "email_normalized");
        return where;
    }
}
