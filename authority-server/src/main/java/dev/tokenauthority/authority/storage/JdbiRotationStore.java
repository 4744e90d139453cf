package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.SpaceSeparated;
import dev.tokenauthority.authority.issuance.RotationStore;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The SQL behind {@link RotationStore}. */
final class JdbiRotationStore implements RotationStore {



    private static final Rows.ClientMapper CLIENT = new Rows.ClientMapper("c_");
    private static final Rows.RefreshTokenMapper TOKEN = new Rows.RefreshTokenMapper();
    private static final Rows.SessionMapper SESSION = new Rows.SessionMapper("s_");

    // The client's and the session's columns are aliased apart from the token's (they share id,
    // client_id, secret_hash, status, ...). The token side is outer-joined: an unknown token still
    // yields the client's row. A deleted user reads as inactive (user_disabled NULL).
    private static final String FIND = """
            SELECT c.client_id AS c_client_id, c.name AS c_name, c.confidential AS c_confidential,
                   c.secret_hash AS c_secret_hash, c.audiences AS c_audiences, c.scopes AS c_scopes,
                   c.permissions AS c_permissions, c.access_token_ttl_seconds AS c_access_token_ttl_seconds,
                   c.refresh_inactivity_ttl_seconds AS c_refresh_inactivity_ttl_seconds,
                   c.session_max_ttl_seconds AS c_session_max_ttl_seconds,
                   c.reuse_grace_seconds AS c_reuse_grace_seconds, c.created_at AS c_created_at,
                   c.updated_at AS c_updated_at, c.disabled AS c_disabled,
                   rt.*,
                   s.id AS s_id, s.user_id AS s_user_id, s.client_id AS s_client_id, s.audience AS s_audience,
                   s.scopes AS s_scopes, s.created_at AS s_created_at, s.last_seen_at AS s_last_seen_at,
                   s.expires_at AS s_expires_at, s.ip AS s_ip, s.user_agent AS s_user_agent,
                   s.device_id AS s_device_id, s.device_name AS s_device_name, s.status AS s_status,
                   s.revoked_at AS s_revoked_at, s.revoked_by AS s_revoked_by, s.revoke_reason AS s_revoke_reason,
                   u.disabled AS user_disabled, u.roles AS user_roles, u.token_invalidated_at AS user_watermark
            FROM clients c
            LEFT JOIN (refresh_tokens rt JOIN sessions s ON s.id = rt.session_id) ON rt.id = :tokenId
            LEFT JOIN users u ON u.id = rt.user_id
            WHERE c.client_id = :clientId
            """;

    private final Handle handle;

    JdbiRotationStore(Handle handle) {
        this.handle = handle;
    }

    @Override
    public Lookup find(String clientId, String tokenId) {
        return handle.createQuery(FIND).bind("clientId", clientId).bind("tokenId", tokenId)
                .map((rs, ctx) -> new Lookup(Optional.of(CLIENT.map(rs, ctx)), rs.getString("id") == null
                        ? Optional.empty()
                        : Optional.of(new Presented(TOKEN.map(rs, ctx), SESSION.map(rs, ctx),
                                Boolean.FALSE.equals(rs.getObject("user_disabled", Boolean.class)),
                                SpaceSeparated.split(rs.getString("user_roles")), Rows.instant(rs, "user_watermark")))))
                .findOne()
                .orElse(new Lookup(Optional.empty(), Optional.empty()));
    }
}
