package dev.tokenauthority.sidecar.validation;

import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_ALL_TOKENS_REVOKED;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_SESSION_REVOKED;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_TOKEN_REVOKED;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_TOKEN_SUSPENDED;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_UNKNOWN_KEY;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_USER_TOKENS_REVOKED;
import static dev.tokenauthority.sidecar.testing.FeedEntries.globalWatermark;
import static dev.tokenauthority.sidecar.testing.FeedEntries.revokedSession;
import static dev.tokenauthority.sidecar.testing.FeedEntries.revokedToken;
import static dev.tokenauthority.sidecar.testing.FeedEntries.signingKeys;
import static dev.tokenauthority.sidecar.testing.FeedEntries.suspension;
import static dev.tokenauthority.sidecar.testing.FeedEntries.userWatermark;
import static dev.tokenauthority.sidecar.testing.TestTokens.AUDIENCE;
import static dev.tokenauthority.sidecar.testing.TestTokens.ISSUER;
import static dev.tokenauthority.sidecar.testing.TestTokens.SESSION_ID;
import static dev.tokenauthority.sidecar.testing.TestTokens.SUBJECT;
import static dev.tokenauthority.sidecar.testing.TestTokens.TOKEN_ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.sidecar.state.RevocationSnapshotBuilder;
import dev.tokenauthority.sidecar.testing.TestKeys;
import dev.tokenauthority.sidecar.testing.TestTokens;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Revocation state as the validator sees it, including through the verified-token cache. */
class TokenValidatorRevocationTest extends ValidatorTestSupport {

    private static final Instant LATER = NOW.plusSeconds(3600);

    @Test
    void aRevokedJtiIsTokenRevoked() {
        feed.apply(revokedToken(TOKEN_ID, LATER));

        assertThat(reason(token().build())).isEqualTo(DENIAL_REASON_TOKEN_REVOKED);
        assertThat(validate(token().claim("jti", "at_another").build()).valid()).isTrue();
    }

    @Test
    void aRevokedSessionIsSessionRevoked() {
        feed.apply(revokedSession(SESSION_ID, LATER));

        assertThat(reason(token().build())).isEqualTo(DENIAL_REASON_SESSION_REVOKED);
        assertThat(validate(token().claim("sid", "ses_another").build()).valid()).isTrue();
    }

    @Test
    void aSuspendedSessionIsTokenSuspendedUntilResumed() {
        String token = token().build();
        feed.apply(suspension(SESSION_ID, true, LATER));

        assertThat(reason(token)).isEqualTo(DENIAL_REASON_TOKEN_SUSPENDED);

        feed.apply(suspension(SESSION_ID, false, LATER));

        assertThat(validate(token).valid()).isTrue();
    }

    @Test
    void aTokenIssuedAtOrBeforeTheUserWatermarkIsUserTokensRevoked() {
        Instant issued = NOW.plusNanos(250_000_000);
        String token = token().issuedAt(issued).build();
        feed.apply(userWatermark(SUBJECT, issued, LATER));

        assertThat(reason(token)).isEqualTo(DENIAL_REASON_USER_TOKENS_REVOKED);
        assertThat(reason(token().issuedAt(issued.minusNanos(1_000)).build()))
                .isEqualTo(DENIAL_REASON_USER_TOKENS_REVOKED);
    }

    @Test
    void aTokenIssuedOneMicrosecondAfterTheUserWatermarkInTheSameSecondIsAlive() {
        Instant watermark = NOW.plusNanos(250_000_000);
        feed.apply(userWatermark(SUBJECT, watermark, LATER));

        String after = token().issuedAt(watermark.plusNanos(1_000)).build();

        assertThat(validate(after).valid()).isTrue();
        assertThat(validate(token().issuedAt(watermark).claim("sub", "usr_someone_else").build()).valid()).isTrue();
    }

    @Test
    void aTokenIssuedAfterTheUserWatermarkFromASessionBegunAtOrBeforeItIsUserTokensRevoked() {
        // A refresh that raced a force logout: its token is newer than the watermark, its session is not.
        Instant watermark = NOW.plusNanos(250_000_000);
        feed.apply(userWatermark(SUBJECT, watermark, LATER));
        Instant issued = watermark.plusNanos(400_000_000);

        assertThat(reason(token().issuedAt(issued).sessionStartedAt(watermark).build()))
                .isEqualTo(DENIAL_REASON_USER_TOKENS_REVOKED);
        assertThat(reason(token().issuedAt(issued).sessionStartedAt(NOW).build()))
                .isEqualTo(DENIAL_REASON_USER_TOKENS_REVOKED);
        assertThat(validate(token().issuedAt(issued).sessionStartedAt(watermark.plusNanos(1_000)).build()).valid())
                .as("a session begun one microsecond after the watermark").isTrue();
    }

    @Test
    void theGlobalWatermarkTooJudgesATokenByItsSessionsStart() {
        Instant watermark = NOW.plusNanos(500_000_000);
        feed.apply(globalWatermark(watermark));

        assertThat(reason(token().issuedAt(watermark.plusSeconds(1)).sessionStartedAt(watermark).build()))
                .isEqualTo(DENIAL_REASON_ALL_TOKENS_REVOKED);
    }

    @Test
    void aTokenIssuedAtOrBeforeTheGlobalWatermarkIsAllTokensRevoked() {
        Instant watermark = NOW.plusNanos(500_000_000);
        feed.apply(globalWatermark(watermark));

        assertThat(reason(token().issuedAt(watermark).build())).isEqualTo(DENIAL_REASON_ALL_TOKENS_REVOKED);
        assertThat(validate(token().issuedAt(watermark.plusNanos(1_000)).build()).valid()).isTrue();
    }

    @Test
    void aTokenWithoutIatUsIsComparedAtTheStartOfItsIatSecond() {
        feed.apply(globalWatermark(NOW));

        assertThat(reason(token().withoutClaim("iat_us").build())).isEqualTo(DENIAL_REASON_ALL_TOKENS_REVOKED);
    }

    @Test
    void revocationReasonsAreReportedInTheDocumentedOrder() {
        String token = token().issuedAt(NOW).build();
        feed.apply(globalWatermark(NOW));
        assertThat(reason(token)).isEqualTo(DENIAL_REASON_ALL_TOKENS_REVOKED);
        feed.apply(userWatermark(SUBJECT, NOW, LATER));
        assertThat(reason(token)).isEqualTo(DENIAL_REASON_USER_TOKENS_REVOKED);
        feed.apply(suspension(SESSION_ID, true, LATER));
        assertThat(reason(token)).isEqualTo(DENIAL_REASON_TOKEN_SUSPENDED);
        feed.apply(revokedSession(SESSION_ID, LATER));
        assertThat(reason(token)).isEqualTo(DENIAL_REASON_SESSION_REVOKED);
        feed.apply(revokedToken(TOKEN_ID, LATER));
        assertThat(reason(token)).isEqualTo(DENIAL_REASON_TOKEN_REVOKED);
    }

    @Test
    void aCacheHitStillSeesALaterRevocation() {
        String token = token().build();
        assertThat(validate(token).valid()).isTrue();
        assertThat(validator.cachedTokenCount()).isEqualTo(1);

        feed.apply(revokedToken(TOKEN_ID, LATER));

        assertThat(reason(token)).isEqualTo(DENIAL_REASON_TOKEN_REVOKED);
        assertThat(validator.cachedTokenCount()).isEqualTo(1);
    }

    @Test
    void aSnapshotSwapReplacesTheRevocationsTheValidatorSees() {
        String token = token().build();
        feed.apply(revokedToken(TOKEN_ID, LATER));
        assertThat(reason(token)).isEqualTo(DENIAL_REASON_TOKEN_REVOKED);

        state.applySnapshot(new RevocationSnapshotBuilder(100, 0).add(revokedSession("ses_unrelated", LATER)));

        assertThat(validate(token).valid()).isTrue();

        state.applySnapshot(new RevocationSnapshotBuilder(200, 0).add(revokedSession(SESSION_ID, LATER)));

        assertThat(reason(token)).isEqualTo(DENIAL_REASON_SESSION_REVOKED);
    }

    @Test
    void removingAKeyFromTheJwkSetDeniesTokensAlreadyCached() {
        String token = token().build();
        assertThat(validate(token).valid()).isTrue();

        feed.apply(signingKeys(TestKeys.jwks(P256)));

        assertThat(reason(token)).isEqualTo(DENIAL_REASON_UNKNOWN_KEY);
        assertThat(validator.cachedTokenCount()).isZero();
    }

    @Test
    void republishingAKeyRevalidatesTokensItSigned() {
        String token = token().build();
        assertThat(validate(token).valid()).isTrue();

        feed.apply(signingKeys(TestKeys.jwks(ED25519, P256, TestKeys.ed25519("ed-2026-04"))));

        assertThat(validate(token).valid()).isTrue();
    }

    @Test
    void replacingAKeyUnderTheSameKidDeniesTokensOfTheOldKey() {
        String token = token().build();
        assertThat(validate(token).valid()).isTrue();

        feed.apply(signingKeys(TestKeys.jwks(TestKeys.ed25519(ED25519.kid()))));

        assertThat(reason(token)).isEqualTo(dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_BAD_SIGNATURE);
    }

    @Test
    void theCacheStaysWithinItsCapacity() {
        validator = newValidator(ValidatorSettings.forIssuer(ISSUER, AcceptedAudiences.anyOf(AUDIENCE)).withCacheCapacity(10));

        IntStream.range(0, 50).forEach(i -> assertThat(validate(token().claim("jti", "at_" + i).build()).valid())
                .isTrue());

        assertThat(validator.cachedTokenCount()).isLessThanOrEqualTo(10);
    }

    @Test
    void aZeroCapacityDisablesTheCacheButNotValidation() {
        validator = newValidator(ValidatorSettings.forIssuer(ISSUER, AcceptedAudiences.anyOf(AUDIENCE)).withCacheCapacity(0));
        String token = TestTokens.token(P256, NOW).build();

        assertThat(validate(token).valid()).isTrue();
        assertThat(validate(token).valid()).isTrue();
        assertThat(validator.cachedTokenCount()).isZero();
    }
}
