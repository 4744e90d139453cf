package dev.tokenauthority.sidecar.validation;

import static dev.tokenauthority.sidecar.testing.TestTokens.AUDIENCE;
import static dev.tokenauthority.sidecar.testing.TestTokens.ISSUER;

import dev.tokenauthority.api.v1.DenialReason;
import dev.tokenauthority.authority.testing.MutableClock;
import dev.tokenauthority.sidecar.state.InMemoryRevocationState;
import dev.tokenauthority.sidecar.testing.FeedEntries;
import dev.tokenauthority.sidecar.testing.TestKeys;
import dev.tokenauthority.sidecar.testing.TestTokens;
import java.time.Instant;
import java.util.List;

/** A validator over real state, with an Ed25519 and a P-256 key published, at a clock the test controls. */
abstract class ValidatorTestSupport {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    static final TestKeys.SigningKey ED25519 = TestKeys.ed25519("ed-2026-03");
    static final TestKeys.SigningKey P256 = TestKeys.p256("ec-2026-03");

    final MutableClock clock = new MutableClock(NOW);
    final InMemoryRevocationState state = new InMemoryRevocationState();
    final FeedEntries feed = new FeedEntries(state);
    TokenValidator validator = newValidator(ValidatorSettings.forIssuer(ISSUER, AcceptedAudiences.anyOf(AUDIENCE)));

    ValidatorTestSupport() {
        feed.apply(FeedEntries.signingKeys(TestKeys.jwks(ED25519, P256)));
    }

    TokenValidator newValidator(ValidatorSettings settings) {
        return new TokenValidator(settings, state, clock);
    }

    /** A valid Ed25519 token issued now. */
    static TestTokens token() {
        return TestTokens.token(ED25519, NOW);
    }

    ValidationDecision validate(String token) {
        return validator.validate(token, AUDIENCE, List.of("orders:read"));
    }

    DenialReason reason(String token) {
        return validate(token).reason();
    }
}
