package dev.tokenauthority.sidecar.validation;

import static dev.tokenauthority.sidecar.testing.TestTokens.AUDIENCE;
import static dev.tokenauthority.sidecar.testing.TestTokens.ISSUER;
import static dev.tokenauthority.sidecar.testing.TestTokens.SESSION_ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.RevocationRetention;
import dev.tokenauthority.authority.testing.MutableClock;
import dev.tokenauthority.sidecar.state.InMemoryRevocationState;
import dev.tokenauthority.sidecar.testing.FeedEntries;
import dev.tokenauthority.sidecar.testing.TestKeys;
import dev.tokenauthority.sidecar.testing.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sidecar keeps a revocation for as long as its own clock skew lets it accept the token.
 *
 * <p>Proves G5 of docs/guarantees.md.
 */
class RevocationRetentionTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final TestKeys.SigningKey KEY = TestKeys.ed25519("ed-2026-12");

    /** G5: a revoked token is never accepted again by a validator sweeping its state, whatever its clock skew. */
    @ParameterizedTest
    @ValueSource(strings = {"PT0S", "PT30S", "PT2M", "PT5M"})
    void aRevokedTokenStaysDeniedUntilItsExpiryPlusTheValidatorsSkewHasPassed(String skewText) {
        Duration skew = Duration.parse(skewText);
        MutableClock clock = new MutableClock(NOW);
        InMemoryRevocationState state = new InMemoryRevocationState(RevocationRetention.atValidator(skew));
        FeedEntries feed = new FeedEntries(state);
        feed.apply(FeedEntries.signingKeys(TestKeys.jwks(KEY)));
        TestTokens token = TestTokens.token(KEY, NOW);
        Instant exp = Instant.ofEpochSecond(((Number) token.claims().get("exp")).longValue());
        // The worst case: an entry that expires with the token (an authority configured with no skew).
        feed.apply(FeedEntries.revokedSession(SESSION_ID, exp));
        TokenValidator validator = new TokenValidator(
                ValidatorSettings.forIssuer(ISSUER, AcceptedAudiences.anyOf(AUDIENCE)).withClockSkew(skew), state, clock);
        String jwt = token.build();

        for (Instant at = NOW; !at.isAfter(exp.plus(skew).plusSeconds(5)); at = at.plusSeconds(1)) {
            clock.set(at);
            state.sweep(at);
            ValidationDecision decision = validator.validate(jwt, AUDIENCE, List.of());
            assertThat(decision.valid()).as("at exp%+ds with a %s skew: %s", at.getEpochSecond() - exp.getEpochSecond(),
                    skew, decision.reason()).isFalse();
        }
    }
}
