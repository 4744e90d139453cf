package dev.tokenauthority.authority.issuance;

import dev.tokenauthority.authority.Transaction;
import dev.tokenauthority.authority.audit.AuditLog;
import dev.tokenauthority.authority.audit.CallContext;
import dev.tokenauthority.authority.client.Client;
import dev.tokenauthority.authority.crypto.Secrets;
import dev.tokenauthority.authority.grant.Grants;
import dev.tokenauthority.authority.token.RefreshToken;
import dev.tokenauthority.authority.token.RefreshTokenFormat;
import dev.tokenauthority.authority.token.RefreshTokenStatus;
import dev.tokenauthority.authority.token.Session;
import dev.tokenauthority.authority.token.SessionStatus;
import dev.tokenauthority.authority.token.SessionStore;
import dev.tokenauthority.authority.token.TokenPolicy;
import dev.tokenauthority.authority.user.User;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Issues token pairs inside the caller's transaction: the first pair of a new session (login,
 * trusted issuance) or the next pair of an existing one (rotation).
 *
 * <p>Lifetimes: the refresh token's inactivity lifetime slides, reset on every
 * rotation, but never past the session's absolute expiry; the access token lives for the
 * client's access-token lifetime, capped by the authority's maximum and by the session.
 */
public final class TokenIssuer {

    private static final String ACCESS_TOKEN_ID_PREFIX = "at_";

    private final AccessTokenSigner signer;
    private final TokenPolicy policy;
    private final Grants grants;
    private final AuditLog audit;

    public TokenIssuer(AccessTokenSigner signer, TokenPolicy policy, Grants grants, AuditLog audit) {
        this.signer = signer;
        this.policy = policy;
        this.grants = grants;
        this.audit = audit;
    }

    /**
     * Opens a session for the user on the client and issues its first pair, recording the grant
     * and the audit event {@code action} in the same transaction. Admin scopes are narrowed to what
     * the user's roles grant (see {@link RequestedAccess#forUser}).
     */
    public IssuedTokens startSession(Transaction tx, User user, Client client, RequestedAccess requested,
            DeviceInfo device, CallContext context, String action, Instant now) {
        RequestedAccess access = requested.forUser(user.roles(), client.clientId());
        Instant issuedAt = afterWatermark(now.truncatedTo(ChronoUnit.MICROS), user.tokenInvalidatedAt());
        grants.recordConsent(tx, user.id(), client.clientId(), access.scopes(), issuedAt);
        Session session = new Session(Secrets.newId(Session.ID_PREFIX), user.id(), client.clientId(),
                access.audience(), access.scopes(), issuedAt, issuedAt, issuedAt.plus(client.sessionMaxTtl()),
                context.callerIp(), device.userAgent(), device.deviceId(), device.name(), SessionStatus.ACTIVE,
                null, null, null);
        tx.store(SessionStore.class).insert(session);
        Pair pair = newPair(session, client, null, RefreshTokenFormat.generate(), issuedAt);
        tx.store(IssuedPairStore.class).insert(pair.refreshToken(), pair.jti(), pair.tokens().accessTokenExpiresAt());
        IssuedTokens tokens = pair.tokens();
        audit.record(tx, context, issuedAt, action, "session", session.id(), null,
                Map.of("user_id", user.id(), "client_id", client.clientId(), "refresh_token_id", tokens.refreshTokenId()));
        return tokens;
    }

    /**
     * Issues the next pair of a live session: the refresh token {@code successor} (its id and
     * secret chosen by the caller, see {@link SuccessorSecrets}) as a child of {@code parentId}.
     * The caller has locked the session (and marked it seen) before changing any of its tokens.
     */
    public IssuedTokens continueSession(Transaction tx, Session session, Client client, String parentId,
            RefreshTokenFormat.Parts successor, Instant now) {
        Pair pair = newPair(session, client, parentId, successor, now.truncatedTo(ChronoUnit.MICROS));
        tx.store(IssuedPairStore.class).insert(pair.refreshToken(), pair.jti(), pair.tokens().accessTokenExpiresAt());
        return pair.tokens();
    }

    /**
     * Hands out an already issued refresh token again, {@code stored} being its row and
     * {@code successor} its id and secret, with a fresh access token: a retry within the reuse
     * grace. Nothing about the refresh token changes, its expiry included.
     */
    public IssuedTokens reissue(Transaction tx, Session session, Client client, RefreshToken stored,
            RefreshTokenFormat.Parts successor, Instant now) {
        Instant issuedAt = now.truncatedTo(ChronoUnit.MICROS);
        SignedAccessToken access = newAccessToken(session, client, issuedAt);
        tx.store(IssuedPairStore.class).insertAccessToken(stored, access.jti(), issuedAt, access.expiresAt());
        return access.pairedWith(successor, stored.expiresAt(), session);
    }

    /** A signed access token and its jti, before it is recorded. */
    private record SignedAccessToken(String jti, String token, Instant expiresAt) {
        IssuedTokens pairedWith(RefreshTokenFormat.Parts refresh, Instant refreshExpiresAt, Session session) {
            return new IssuedTokens(token, expiresAt, refresh.token(), refresh.id(), refreshExpiresAt, session.id(),
                    session.scopes());
        }
    }

    /** A new pair before it is stored: the refresh token's row, the access token's jti, and what the caller gets. */
    private record Pair(RefreshToken refreshToken, String jti, IssuedTokens tokens) {
    }

    private Pair newPair(Session session, Client client, String parentId, RefreshTokenFormat.Parts refresh,
            Instant now) {
        Instant refreshExpiresAt = earliest(now.plus(client.refreshInactivityTtl()), session.expiresAt());
        RefreshToken refreshToken = new RefreshToken(refresh.id(), Secrets.hash(refresh.secret()),
                session.id(), parentId, null, session.userId(), client.clientId(), now, null, refreshExpiresAt,
                RefreshTokenStatus.ACTIVE, null, null, null, null, null, List.of());
        SignedAccessToken access = newAccessToken(session, client, now);
        return new Pair(refreshToken, access.jti(), access.pairedWith(refresh, refreshExpiresAt, session));
    }

    private SignedAccessToken newAccessToken(Session session, Client client, Instant now) {
        String jti = Secrets.newId(ACCESS_TOKEN_ID_PREFIX);
        // JWT exp has one-second resolution; the recorded expiry matches it exactly.
        Instant accessExpiresAt = earliest(now.plus(client.accessTokenTtl()), now.plus(policy.maxAccessTokenTtl()),
                session.expiresAt()).truncatedTo(ChronoUnit.SECONDS);
        String accessToken = signer.sign(new AccessTokenSigner.Claims(jti, session.userId(), session.audience(),
                client.clientId(), session.scopes(), session.id(), session.createdAt(), now, accessExpiresAt));
        return new SignedAccessToken(jti, accessToken, accessExpiresAt);
    }

    /**
     * The start of a new session: now, or just after the user's force-logout watermark if that is not
     * earlier. The caller holds the user's row lock, so no force logout runs meanwhile; a watermark
     * set by a replica whose clock runs ahead would otherwise kill a session begun after it.
     */
    private static Instant afterWatermark(Instant now, Instant watermark) {
        return watermark == null || now.isAfter(watermark) ? now : watermark.plus(1, ChronoUnit.MICROS);
    }

    private static Instant earliest(Instant first, Instant... others) {
        Instant result = first;
        for (Instant other : others) {
            if (other.isBefore(result)) {
                result = other;
            }
        }
        return result;
    }
}
