package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.SpaceSeparated;
import dev.tokenauthority.authority.audit.Actor;
import dev.tokenauthority.authority.audit.AuditEvent;
import dev.tokenauthority.authority.client.Client;
import dev.tokenauthority.authority.grant.Grant;
import dev.tokenauthority.authority.token.RefreshToken;
import dev.tokenauthority.authority.token.RefreshTokenStatus;
import dev.tokenauthority.authority.token.Session;
import dev.tokenauthority.authority.token.SessionStatus;
import dev.tokenauthority.authority.user.User;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Row mappers from the schema's columns to the domain records. */
public final class Rows {

    private Rows() {}

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    public static final class UserMapper implements RowMapper<User> {
        @Override
        public User map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new User(
                    rs.getString("id"),
                    rs.getString("email"),
                    rs.getString("password_hash"),
                    SpaceSeparated.split(rs.getString("roles")),
                    rs.getBoolean("disabled"),
                    instant(rs, "token_invalidated_at"),
                    instant(rs, "created_at"),
                    instant(rs, "updated_at"));
        }
    }

    public static final class ClientMapper implements RowMapper<Client> {
        private final String prefix;

        public ClientMapper() {
            this("");
        }

        /** Reads the client's columns under {@code prefix}, for a join that aliases them apart. */
        public ClientMapper(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Client map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Client(
                    rs.getString(prefix + "client_id"),
                    rs.getString(prefix + "name"),
                    rs.getBoolean(prefix + "confidential"),
                    rs.getString(prefix + "secret_hash"),
                    SpaceSeparated.split(rs.getString(prefix + "audiences")),
                    SpaceSeparated.split(rs.getString(prefix + "scopes")),
                    SpaceSeparated.split(rs.getString(prefix + "permissions")),
                    Duration.ofSeconds(rs.getLong(prefix + "access_token_ttl_seconds")),
                    Duration.ofSeconds(rs.getLong(prefix + "refresh_inactivity_ttl_seconds")),
                    Duration.ofSeconds(rs.getLong(prefix + "session_max_ttl_seconds")),
                    Duration.ofSeconds(rs.getLong(prefix + "reuse_grace_seconds")),
                    instant(rs, prefix + "created_at"),
                    instant(rs, prefix + "updated_at"),
                    rs.getBoolean(prefix + "disabled"));
        }
    }

    public static final class GrantMapper implements RowMapper<Grant> {
        @Override
        public Grant map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Grant(
                    rs.getString("id"),
                    rs.getString("user_id"),
                    rs.getString("client_id"),
                    SpaceSeparated.split(rs.getString("scopes")),
                    instant(rs, "created_at"),
                    instant(rs, "updated_at"));
        }
    }

    public static final class SessionMapper implements RowMapper<Session> {
        private final String prefix;

        public SessionMapper() {
            this("");
        }

        /** Reads the session's columns under {@code prefix}, for a join that aliases them apart. */
        public SessionMapper(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Session map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Session(
                    rs.getString(prefix + "id"),
                    rs.getString(prefix + "user_id"),
                    rs.getString(prefix + "client_id"),
                    SpaceSeparated.split(rs.getString(prefix + "audience")),
                    SpaceSeparated.split(rs.getString(prefix + "scopes")),
                    instant(rs, prefix + "created_at"),
                    instant(rs, prefix + "last_seen_at"),
                    instant(rs, prefix + "expires_at"),
                    rs.getString(prefix + "ip"),
                    rs.getString(prefix + "user_agent"),
                    rs.getString(prefix + "device_id"),
                    rs.getString(prefix + "device_name"),
                    SessionStatus.valueOf(rs.getString(prefix + "status")),
                    instant(rs, prefix + "revoked_at"),
                    rs.getString(prefix + "revoked_by"),
                    rs.getString(prefix + "revoke_reason"));
        }
    }

    public static final class RefreshTokenMapper implements RowMapper<RefreshToken> {
        @Override
        public RefreshToken map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new RefreshToken(
                    rs.getString("id"),
                    rs.getString("secret_hash"),
                    rs.getString("session_id"),
                    rs.getString("parent_id"),
                    rs.getString("successor_id"),
                    rs.getString("user_id"),
                    rs.getString("client_id"),
                    instant(rs, "issued_at"),
                    instant(rs, "last_used_at"),
                    instant(rs, "expires_at"),
                    RefreshTokenStatus.valueOf(rs.getString("status")),
                    instant(rs, "rotated_at"),
                    instant(rs, "revoked_at"),
                    rs.getString("revoked_by"),
                    rs.getString("revoke_reason"),
                    rs.getString("note"),
                    SpaceSeparated.split(rs.getString("tags")));
        }
    }

    public static final class AuditEventMapper implements RowMapper<AuditEvent> {
        @Override
        public AuditEvent map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new AuditEvent(
                    rs.getLong("id"),
                    instant(rs, "occurred_at"),
                    new Actor(Actor.Type.valueOf(rs.getString("actor_type")), rs.getString("actor_id"),
                            rs.getString("actor_email")),
                    rs.getString("action"),
                    rs.getString("target_type"),
                    rs.getString("target_id"),
                    rs.getString("reason"),
                    rs.getString("details"),
                    rs.getString("caller_ip"),
                    rs.getString("target_email"));
        }
    }
}
