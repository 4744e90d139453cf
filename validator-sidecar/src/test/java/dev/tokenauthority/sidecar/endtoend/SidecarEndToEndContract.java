package dev.tokenauthority.sidecar.endtoend;

import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_ALL_TOKENS_REVOKED;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_FEED_STALE;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_LIFETIME_TOO_LONG;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_SESSION_REVOKED;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_TOKEN_REVOKED;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_UNKNOWN_KEY;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_USER_TOKENS_REVOKED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.DenialReason;
import dev.tokenauthority.api.v1.IntrospectRequest;
import dev.tokenauthority.api.v1.LogoutRequest;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.RevokeAllSessionsRequest;
import dev.tokenauthority.api.v1.RevokeRequest;
import dev.tokenauthority.api.v1.RevokeSessionRequest;
import dev.tokenauthority.api.v1.RevokeSigningKeyRequest;
import dev.tokenauthority.api.v1.RevokeTokenRequest;
import dev.tokenauthority.api.v1.RevokeUserTokensRequest;
import dev.tokenauthority.api.v1.RotateSigningKeyRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.ValidateResponse;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.keys.SigningKey;
import dev.tokenauthority.authority.retention.TokenRetention;
import dev.tokenauthority.authority.server.Housekeeping;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.Eventually;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.authority.token.RevocationLogStore;
import dev.tokenauthority.authority.token.TokenPolicy;
import dev.tokenauthority.sidecar.server.StalePolicy;
import dev.tokenauthority.sidecar.testing.TestKeys;
import dev.tokenauthority.sidecar.testing.TestTokens;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every revocation path of the authority, followed by the sidecar's denial with its reason.
 *
 * <p>Proves G12 and G13 (the signing-key tests) of docs/guarantees.md.
 */
abstract class SidecarEndToEndContract {

    AuthorityFixture authority;
    SidecarHarness sidecar;
    String admin;

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void start() throws Exception {
        authority = new AuthorityFixture(kind());
        sidecar = new SidecarHarness(authority, StalePolicy.FAIL_CLOSED, authority.clock);
        sidecar.awaitServing();
        admin = authority.loginAdmin().getAccessToken();
    }

    @AfterEach
    void stop() throws Exception {
        sidecar.close();
        authority.close();
    }

    ValidateResponse awaitDenial(String token) {
        return sidecar.awaitValidation(token, r -> !r.getValid());
    }

    String jti(String accessToken) {
        return authority.auth().introspect(IntrospectRequest.newBuilder().setClientId(DemoData.SIDECAR_CLIENT)
                .setClientSecret(authority.sidecarSecret).setToken(accessToken).build()).getJti();
    }

    @Test
    void aLiveTokenValidatesWithItsClaimsAndTheFeedPosition() {
        assertThat(sidecar.health()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        TokenPair pair = authority.login(AuthorityFixture.ALICE);
        ValidateResponse response = sidecar.validate(pair.getAccessToken());
        assertThat(response.getValid()).isTrue();
        assertThat(response.getSubject()).isEqualTo(authority.user(AuthorityFixture.ALICE).id());
        assertThat(response.getClientId()).isEqualTo(DemoData.APP_CLIENT);
        assertThat(response.getSessionId()).isEqualTo(pair.getSessionId());
        assertThat(response.getScopesList()).containsExactly("read", "write");
        assertThat(response.getExpiresAt()).isEqualTo(pair.getAccessTokenExpiresAt());
        assertThat(response.getFeedAgeMs()).isBetween(0L, 30_000L);
    }

    @Test
    void revokingOneAccessTokenDeniesItAsTokenRevoked() throws Exception {
        TokenPair pair = authority.login(AuthorityFixture.ALICE);
        long sequence = authority.admin(admin).revokeToken(RevokeTokenRequest.newBuilder()
                .setTokenId(jti(pair.getAccessToken())).setReason("test").build()).getFeedSequence();
        // feed_sequence is read before deciding, so it never claims more than the decision saw:
        // once it reaches the revocation's sequence, the revocation is enforced.
        ValidateResponse enforced = sidecar.awaitValidation(pair.getAccessToken(), r -> r.getFeedSequence() >= sequence);
        assertThat(enforced.getValid()).isFalse();
        assertThat(enforced.getReason()).isEqualTo(DENIAL_REASON_TOKEN_REVOKED);
    }

    @Test
    void revokingASessionDeniesItsAccessTokensAsSessionRevoked() throws Exception {
        TokenPair pair = authority.login(AuthorityFixture.ALICE);
        authority.admin(admin).revokeSession(RevokeSessionRequest.newBuilder().setSessionId(pair.getSessionId()).build());
        assertThat(awaitDenial(pair.getAccessToken()).getReason()).isEqualTo(DENIAL_REASON_SESSION_REVOKED);
    }

    @Test
    void forceLogoutDeniesEarlierTokensButAFreshLoginValidates() throws Exception {
        TokenPair old = authority.login(AuthorityFixture.ALICE);
        authority.admin(admin).revokeUserTokens(RevokeUserTokensRequest.newBuilder()
                .setUserId(authority.user(AuthorityFixture.ALICE).id()).build());
        assertThat(awaitDenial(old.getAccessToken()).getReason()).isEqualTo(DENIAL_REASON_USER_TOKENS_REVOKED);
        authority.clock.advance(java.time.Duration.ofMillis(1));
        assertThat(sidecar.validate(authority.login(AuthorityFixture.ALICE).getAccessToken()).getValid()).isTrue();
    }

    @Test
    void revokeAllSessionsDeniesEveryEarlierTokenAsAllTokensRevoked() throws Exception {
        TokenPair alice = authority.login(AuthorityFixture.ALICE);
        TokenPair bob = authority.login(AuthorityFixture.BOB);
        authority.admin(admin).revokeAllSessions(RevokeAllSessionsRequest.newBuilder().setReason("incident")
                .setConfirm("REVOKE ALL SESSIONS").build());
        assertThat(awaitDenial(alice.getAccessToken()).getReason()).isIn(DENIAL_REASON_ALL_TOKENS_REVOKED);
        assertThat(sidecar.validate(bob.getAccessToken()).getReason()).isEqualTo(DENIAL_REASON_ALL_TOKENS_REVOKED);
    }

    @Test
    void refreshTokenReuseDeniesTheWholeFamilysAccessTokens() throws Exception {
        TokenPair first = authority.login(AuthorityFixture.ALICE);
        TokenPair second = authority.auth().refresh(RefreshRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                .setRefreshToken(first.getRefreshToken()).build());
        try {
            authority.auth().refresh(RefreshRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                    .setRefreshToken(first.getRefreshToken()).build());
        } catch (StatusRuntimeException expected) {
            // reuse detected
        }
        assertThat(awaitDenial(second.getAccessToken()).getReason()).isEqualTo(DENIAL_REASON_SESSION_REVOKED);
    }

    @Test
    void logoutAndClientRevocationReachTheSidecar() throws Exception {
        TokenPair loggedOut = authority.login(AuthorityFixture.ALICE);
        authority.auth().logout(LogoutRequest.newBuilder().setRefreshToken(loggedOut.getRefreshToken()).build());
        assertThat(awaitDenial(loggedOut.getAccessToken()).getReason()).isEqualTo(DENIAL_REASON_SESSION_REVOKED);
        TokenPair revoked = authority.login(AuthorityFixture.BOB);
        authority.auth().revoke(RevokeRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                .setToken(revoked.getAccessToken()).build());
        assertThat(awaitDenial(revoked.getAccessToken()).getReason()).isEqualTo(DENIAL_REASON_TOKEN_REVOKED);
    }

    @Test
    void tokensSignedWithARotatedKeyValidateOnceTheNewKeySetArrives() throws Exception {
        TokenPair before = authority.login(AuthorityFixture.ALICE);
        authority.keysAs(admin).rotateSigningKey(RotateSigningKeyRequest.newBuilder().setReason("drill").build());
        TokenPair after = authority.login(AuthorityFixture.BOB);
        assertThat(sidecar.awaitValidation(after.getAccessToken(), ValidateResponse::getValid).getValid()).isTrue();
        assertThat(sidecar.validate(before.getAccessToken()).getValid()).isTrue();
    }

    /** The sequence of the newest revocation-log entry: what the sidecar must have applied to reflect it. */
    long lastSequence() {
        return authority.authority.transactor().read(h -> h.store(RevocationLogStore.class).lastSequence());
    }

    /** The sidecar's answer once it has applied {@code sequence} (and is not answering from a stale feed). */
    ValidateResponse awaitSequence(String token, long sequence) {
        return sidecar.awaitValidation(token,
                r -> r.getFeedSequence() >= sequence && r.getReason() != DENIAL_REASON_FEED_STALE);
    }

    /** A token in the authority's format signed with {@code key}'s private half, as someone who stole it would. */
    String forge(SigningKey key, Duration lifetime) {
        Instant now = authority.clock.instant();
        return TestTokens.token(TestKeys.ed25519(key.kid(), key.signingParameters()), now)
                .claim("iss", AuthorityFixture.ISSUER)
                .claim("aud", DemoData.AUDIENCE)
                .claim("exp", now.plus(lifetime).getEpochSecond())
                .build();
    }

    /** The sidecar's verified-token cache hits, from its metrics. */
    long cacheHits() {
        return sidecar.sidecar.metrics().registry().scrape().stream()
                .filter(m -> m.getMetadata().getPrometheusName().equals("tokenauthority_sidecar_verified_token_cache_hits"))
                .map(m -> (long) ((CounterSnapshot) m).getDataPoints().get(0).getValue())
                .findFirst().orElseThrow();
    }

    @Test
    void aRotationKeepsTheSidecarsCachedTokensOfTheUnchangedKeyHitting() throws Exception {
        TokenPair pair = authority.login(AuthorityFixture.ALICE);
        assertThat(sidecar.validate(pair.getAccessToken()).getValid()).isTrue();
        authority.keysAs(admin).rotateSigningKey(RotateSigningKeyRequest.newBuilder().setReason("drill").build());
        long sequence = lastSequence();
        Eventually.until(SidecarHarness.WAIT_LIMIT, "the sidecar to apply sequence " + sequence,
                () -> sidecar.sidecar.state().appliedSequence() >= sequence);
        assertThat(sidecar.sidecar.state().signingKeys().size()).isEqualTo(2);
        long hits = cacheHits();

        assertThat(sidecar.validate(pair.getAccessToken()).getValid()).isTrue();

        assertThat(cacheHits()).isEqualTo(hits + 1);
    }

    @Test
    void aKeyRevokedByRpcStopsValidatingAtTheSidecarWithinOneFeedEvent() throws Exception {
        TokenPair signedByOld = authority.login(AuthorityFixture.ALICE);
        assertThat(sidecar.validate(signedByOld.getAccessToken()).getValid()).isTrue();
        String oldKid = authority.authority.signingKeys().current().kid();
        authority.keysAs(admin).rotateSigningKey(RotateSigningKeyRequest.newBuilder().setReason("drill").build());
        admin = authority.loginAdmin().getAccessToken(); // the old admin token dies with the old key
        TokenPair signedByNew = authority.login(AuthorityFixture.BOB);

        authority.keysAs(admin).revokeSigningKey(RevokeSigningKeyRequest.newBuilder().setKid(oldKid)
                .setReason("key leaked").build());
        long sequence = lastSequence();

        ValidateResponse enforced = awaitSequence(signedByOld.getAccessToken(), sequence);
        assertThat(enforced.getValid()).isFalse();
        assertThat(enforced.getReason()).isEqualTo(DENIAL_REASON_UNKNOWN_KEY);
        assertThat(sidecar.validate(signedByNew.getAccessToken()).getValid()).isTrue();
    }

    @Test
    void aRetiredKeyLeavesTheSidecarWithinOneFeedEventOnceItsPublicationWindowHasPassed() throws Exception {
        SigningKey retired = authority.authority.signingKeys().current();
        authority.keysAs(admin).rotateSigningKey(RotateSigningKeyRequest.newBuilder().setReason("drill").build());
        authority.clock.advance(Duration.ofHours(1).plusSeconds(31)); // max lifetime + skew: the window is over
        String forged = forge(retired, Duration.ofMinutes(5));
        // Until the authority says so, the sidecar cannot know the window is over.
        assertThat(sidecar.awaitValidation(forged, ValidateResponse::getValid).getValid()).isTrue();

        try (Housekeeping housekeeping = new Housekeeping(authority.authority.signingKeys(),
                authority.authority.loginThrottle(), authority.authority.sessionRows(),
                new TokenRetention(authority.authority.transactor(), TokenRetention.DEFAULT_RETENTION, authority.clock),
                authority.authority.transactor(),
                authority.clock)) {
            housekeeping.runOnce();
        }
        long sequence = lastSequence();

        ValidateResponse enforced = awaitSequence(forged, sequence);
        assertThat(enforced.getValid()).isFalse();
        assertThat(enforced.getReason()).isEqualTo(DENIAL_REASON_UNKNOWN_KEY);
        assertThat(sidecar.validate(authority.login(AuthorityFixture.BOB).getAccessToken()).getValid()).isTrue();
    }

    @Test
    void aLeakedRetiredKeyCannotMintATokenLivingLongerThanTheAuthorityAllows() throws Exception {
        SigningKey retired = authority.authority.signingKeys().current();
        authority.keysAs(admin).rotateSigningKey(RotateSigningKeyRequest.newBuilder().setReason("drill").build());
        TokenPair signedByNew = authority.login(AuthorityFixture.BOB);
        assertThat(sidecar.awaitValidation(signedByNew.getAccessToken(), ValidateResponse::getValid).getValid())
                .isTrue();

        String longLived = forge(retired, Duration.ofDays(30));

        assertThat(sidecar.validate(longLived).getReason()).isEqualTo(DENIAL_REASON_LIFETIME_TOO_LONG);
        assertThat(sidecar.sidecar.state().maxTokenLifetimeSeconds())
                .isEqualTo(TokenPolicy.DEFAULT_MAX_ACCESS_TOKEN_TTL.toSeconds());
        assertThat(sidecar.validate(forge(retired, TokenPolicy.DEFAULT_MAX_ACCESS_TOKEN_TTL)).getValid()).isTrue();
    }

    @Test
    void aSuspendedTokensAccessTokensAreDeniedUntilItIsResumed() throws Exception {
        TokenPair pair = authority.login(AuthorityFixture.ALICE);
        authority.admin(admin).suspendToken(dev.tokenauthority.api.v1.SuspendTokenRequest.newBuilder()
                .setTokenId(pair.getRefreshTokenId()).setReason("investigating").build());
        assertThat(awaitDenial(pair.getAccessToken()).getReason())
                .isEqualTo(dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_TOKEN_SUSPENDED);
        authority.admin(admin).resumeToken(dev.tokenauthority.api.v1.ResumeTokenRequest.newBuilder()
                .setTokenId(pair.getRefreshTokenId()).build());
        assertThat(sidecar.awaitValidation(pair.getAccessToken(), ValidateResponse::getValid).getValid()).isTrue();
    }

    @Test
    void bulkRevocationReachesTheSidecarForEveryToken() throws Exception {
        TokenPair a = authority.login(AuthorityFixture.ALICE);
        TokenPair b = authority.login(AuthorityFixture.BOB);
        authority.admin(admin).batchRevokeTokens(dev.tokenauthority.api.v1.BatchRevokeTokensRequest.newBuilder()
                .addTokenIds(a.getRefreshTokenId()).addTokenIds(b.getRefreshTokenId()).setReason("incident").build());
        assertThat(awaitDenial(a.getAccessToken()).getReason()).isEqualTo(DENIAL_REASON_SESSION_REVOKED);
        assertThat(awaitDenial(b.getAccessToken()).getReason()).isEqualTo(DENIAL_REASON_SESSION_REVOKED);
        // The two entries came as one run of events; the single event after it must chain on.
        TokenPair c = authority.login(AuthorityFixture.ALICE);
        authority.admin(admin).revokeSession(RevokeSessionRequest.newBuilder().setSessionId(c.getSessionId()).build());
        assertThat(awaitDenial(c.getAccessToken()).getReason()).isEqualTo(DENIAL_REASON_SESSION_REVOKED);
    }

    @Test
    void aDeniedTokenNeverComesBackToLife() throws Exception {
        TokenPair pair = authority.login(AuthorityFixture.ALICE);
        authority.admin(admin).revokeSession(RevokeSessionRequest.newBuilder().setSessionId(pair.getSessionId()).build());
        DenialReason reason = awaitDenial(pair.getAccessToken()).getReason();
        for (int i = 0; i < 100; i++) {
            assertThat(sidecar.validate(pair.getAccessToken()).getReason()).isEqualTo(reason);
        }
    }
}
