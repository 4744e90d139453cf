package dev.tokenauthority.authority.testing;

import dev.tokenauthority.api.v1.DenialReason;
import dev.tokenauthority.api.v1.DisableUserRequest;
import dev.tokenauthority.api.v1.IntrospectRequest;
import dev.tokenauthority.api.v1.ListTokensRequest;
import dev.tokenauthority.api.v1.ResumeTokenRequest;
import dev.tokenauthority.api.v1.RevokeAllSessionsRequest;
import dev.tokenauthority.api.v1.RevokeSessionRequest;
import dev.tokenauthority.api.v1.RevokeTokenRequest;
import dev.tokenauthority.api.v1.RevokeUserTokensRequest;
import dev.tokenauthority.api.v1.SuspendTokenRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.token.RevocationLogStore;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The liveness rule of an access token, as one table: each case is something an administrator
 * (or time) does through the real admin and auth RPCs to a token's jti, session, user or to every
 * token, and the verdict that must follow everywhere a token is checked: the authority itself
 * (Introspect, and admin calls authenticated by the token) and every sidecar's Validate.
 *
 * <p>The subject of every case is a viewer (an operator with read access to the admin API), so
 * that "an admin call made with the affected token" is meaningful; the acting administrator is
 * someone else. Tests of both modules run the table (the sidecar's through this test-jar).
 */
public enum DenialCases {

    /** Nothing happened: the token is live everywhere. */
    LIVE(null, (fx, admin, subject) -> { }),

    /** RevokeToken by jti. */
    REVOKED_JTI(DenialReason.DENIAL_REASON_TOKEN_REVOKED, (fx, admin, subject) ->
            fx.admin(admin).revokeToken(RevokeTokenRequest.newBuilder()
                    .setTokenId(jti(fx, subject.pair().getAccessToken())).setReason("case").build())),

    /** RevokeSession of the token's session. */
    REVOKED_SESSION(DenialReason.DENIAL_REASON_SESSION_REVOKED, (fx, admin, subject) ->
            fx.admin(admin).revokeSession(RevokeSessionRequest.newBuilder()
                    .setSessionId(subject.pair().getSessionId()).setReason("case").build())),

    /** SuspendToken of the session's refresh token (a soft revocation of the session). */
    SUSPENDED_SESSION(DenialReason.DENIAL_REASON_TOKEN_SUSPENDED, (fx, admin, subject) -> suspend(fx, admin, subject)),

    /** SuspendToken then ResumeToken: the token is live again. */
    RESUMED_SESSION(null, (fx, admin, subject) -> {
        suspend(fx, admin, subject);
        fx.admin(admin).resumeToken(ResumeTokenRequest.newBuilder()
                .setTokenId(subject.pair().getRefreshTokenId()).setReason("case").build());
    }),

    /** RevokeUserTokens (force logout): the user's watermark passes the token's issue time. */
    USER_WATERMARK(DenialReason.DENIAL_REASON_USER_TOKENS_REVOKED, (fx, admin, subject) ->
            fx.admin(admin).revokeUserTokens(RevokeUserTokensRequest.newBuilder()
                    .setUserId(subject.userId()).setReason("case").build())),

    /** DisableUser: the user's tokens die with a watermark, and the user can no longer authenticate. */
    DISABLED_USER(DenialReason.DENIAL_REASON_USER_TOKENS_REVOKED, (fx, admin, subject) ->
            fx.admin(admin).disableUser(DisableUserRequest.newBuilder()
                    .setUserId(subject.userId()).setReason("case").build())),

    /** RevokeAllSessions: the global watermark passes every token's issue time. */
    GLOBAL_WATERMARK(DenialReason.DENIAL_REASON_ALL_TOKENS_REVOKED, (fx, admin, subject) ->
            fx.admin(admin).revokeAllSessions(RevokeAllSessionsRequest.newBuilder().setReason("case")
                    .setConfirm("REVOKE ALL SESSIONS").build())),

    /** Time passes beyond the token's exp plus the allowed clock skew. */
    EXPIRED(DenialReason.DENIAL_REASON_EXPIRED, (fx, admin, subject) -> fx.clock.advance(Duration.ofHours(2)));

    /** The user every case acts on; a viewer, so its tokens can call the admin API. */
    public static final String SUBJECT_EMAIL = "viewer@example.com";

    private final DenialReason sidecarReason;
    private final Action action;

    DenialCases(DenialReason sidecarReason, Action action) {
        this.sidecarReason = sidecarReason;
        this.action = action;
    }

    /** What a case does, through the RPCs, with an administrator's access token. */
    @FunctionalInterface
    interface Action {
        void apply(AuthorityFixture fx, String adminToken, Subject subject);
    }

    /** The token a case acts on, and its user. */
    public record Subject(TokenPair pair, String userId) {
    }

    /** Whether the token stays live after the case. */
    public boolean live() {
        return sidecarReason == null;
    }

    /** The reason a sidecar gives for denying the token, or empty when it must validate. */
    public Optional<DenialReason> sidecarReason() {
        return Optional.ofNullable(sidecarReason);
    }

    /** Creates the subject user on a fresh fixture and logs it in to the demo app. */
    public static Subject newSubject(AuthorityFixture fx) {
        String userId = fx.createUser(SUBJECT_EMAIL, List.of("viewer")).id();
        return new Subject(fx.login(SUBJECT_EMAIL), userId);
    }

    /** Applies the case through the RPCs, acting as the demo administrator. */
    public void apply(AuthorityFixture fx, Subject subject) {
        action.apply(fx, fx.loginAdmin().getAccessToken(), subject);
    }

    /**
     * The authority's verdicts on a token: Introspect's {@code active}, and whether an admin call
     * authenticates it (its liveness checked by the authority's verifier). The subject's token is
     * for the demo app, so a live one is then refused for its audience, PERMISSION_DENIED; a dead
     * one is UNAUTHENTICATED before the audience is looked at.
     */
    public record AuthorityVerdict(boolean introspectActive, boolean adminCallAuthenticated) {
    }

    public static AuthorityVerdict authorityVerdict(AuthorityFixture fx, String accessToken) {
        boolean active = introspect(fx, accessToken).getActive();
        boolean authenticated;
        try {
            fx.admin(accessToken).listTokens(ListTokensRequest.getDefaultInstance());
            authenticated = true;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.UNAUTHENTICATED
                    && e.getStatus().getCode() != Status.Code.PERMISSION_DENIED) {
                throw e;
            }
            authenticated = e.getStatus().getCode() == Status.Code.PERMISSION_DENIED;
        }
        return new AuthorityVerdict(active, authenticated);
    }

    /** The last revocation-log sequence the authority has committed: a sidecar at it has seen every case. */
    public static long committedSequence(AuthorityFixture fx) {
        return fx.authority.transactor().read(h -> h.store(RevocationLogStore.class).lastSequence());
    }

    private static void suspend(AuthorityFixture fx, String admin, Subject subject) {
        fx.admin(admin).suspendToken(SuspendTokenRequest.newBuilder()
                .setTokenId(subject.pair().getRefreshTokenId()).setReason("case").build());
    }

    private static String jti(AuthorityFixture fx, String accessToken) {
        return introspect(fx, accessToken).getJti();
    }

    private static dev.tokenauthority.api.v1.IntrospectResponse introspect(AuthorityFixture fx, String accessToken) {
        return fx.auth().introspect(IntrospectRequest.newBuilder().setClientId(DemoData.SIDECAR_CLIENT)
                .setClientSecret(fx.sidecarSecret).setToken(accessToken).build());
    }
}
