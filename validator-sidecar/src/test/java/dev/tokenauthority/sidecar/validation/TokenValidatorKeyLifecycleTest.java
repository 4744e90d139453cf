package dev.tokenauthority.sidecar.validation;

import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_BAD_SIGNATURE;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_LIFETIME_TOO_LONG;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_UNKNOWN_KEY;
import static dev.tokenauthority.sidecar.testing.FeedEntries.signingKeys;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.sidecar.state.InMemoryRevocationState;
import dev.tokenauthority.sidecar.state.RevocationSnapshotBuilder;
import dev.tokenauthority.sidecar.testing.TestKeys;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Signing-key lifecycle as the validator sees it: each key set from the feed replaces the previous one, keys that stay
 * keep their cached tokens hitting, and a token claiming a longer lifetime than the authority issues is refused.
 *
 * <p>Proves G12 and G13 of docs/guarantees.md.
 */
class TokenValidatorKeyLifecycleTest extends ValidatorTestSupport {

    private static final long ONE_HOUR = 3600;

    /** Validates once to cache the token, then once more to count a hit; returns the hit count after that. */
    private long cachedWithOneHit(String token) {
        assertThat(validate(token).valid()).isTrue();
        assertThat(validate(token).valid()).isTrue();
        assertThat(validator.cacheHitCount()).isEqualTo(1);
        return validator.cacheHitCount();
    }

    @Test
    void aNewKeySetThatKeepsTheTokensKeyKeepsItsCacheHits() {
        String token = token().build();
        long hits = cachedWithOneHit(token);

        feed.apply(signingKeys(TestKeys.jwks(ED25519, P256, TestKeys.ed25519("ed-2026-04"))));

        assertThat(validate(token).valid()).isTrue();
        assertThat(validator.cacheHitCount()).isEqualTo(hits + 1);
    }

    @Test
    void aSnapshotThatKeepsTheTokensKeyKeepsItsCacheHits() {
        String token = token().build();
        long hits = cachedWithOneHit(token);

        state.applySnapshot(new RevocationSnapshotBuilder(100, 0).add(signingKeys(TestKeys.jwks(P256, ED25519))));

        assertThat(validate(token).valid()).isTrue();
        assertThat(validator.cacheHitCount()).isEqualTo(hits + 1);
    }

    @Test
    void aCachedTokenWhoseKeyLeftTheSetIsRefusedWithoutACacheHit() {
        String token = token().build();
        long hits = cachedWithOneHit(token);

        feed.apply(signingKeys(TestKeys.jwks(P256)));

        assertThat(reason(token)).isEqualTo(DENIAL_REASON_UNKNOWN_KEY);
        assertThat(validator.cacheHitCount()).isEqualTo(hits);
    }

    @Test
    void aSnapshotWhoseSetLacksTheTokensKeyRemovesIt() {
        String token = token().build();
        cachedWithOneHit(token);

        state.applySnapshot(new RevocationSnapshotBuilder(100, 0).add(signingKeys(TestKeys.jwks(P256))));

        assertThat(reason(token)).isEqualTo(DENIAL_REASON_UNKNOWN_KEY);
    }

    @Test
    void anotherKeyPublishedUnderTheSameKidDoesNotInheritTheCachedTokens() {
        String token = token().build();
        long hits = cachedWithOneHit(token);

        feed.apply(signingKeys(TestKeys.jwks(TestKeys.ed25519(ED25519.kid()), P256)));

        assertThat(reason(token)).isEqualTo(DENIAL_REASON_BAD_SIGNATURE);
        assertThat(validator.cacheHitCount()).isEqualTo(hits);
    }

    @Test
    void aLeakedKeyMintingALongLifetimeIsRefusedForAllOfIt() {
        String longLived = token().claim("exp", NOW.getEpochSecond() + 86_400).build();

        assertThat(reason(longLived)).isEqualTo(DENIAL_REASON_LIFETIME_TOO_LONG);
        clock.advance(Duration.ofHours(23));
        assertThat(reason(longLived)).isEqualTo(DENIAL_REASON_LIFETIME_TOO_LONG);
    }

    @Test
    void beforeTheAuthorityPublishesItsMaximumLifetimeOneHourIsAssumed() {
        assertThat(state.maxTokenLifetimeSeconds())
                .isEqualTo(InMemoryRevocationState.DEFAULT_MAX_TOKEN_LIFETIME.toSeconds()).isEqualTo(ONE_HOUR);

        assertThat(validate(token().claim("exp", NOW.getEpochSecond() + ONE_HOUR).build()).valid()).isTrue();
        assertThat(reason(token().claim("exp", NOW.getEpochSecond() + ONE_HOUR + 1).build()))
                .isEqualTo(DENIAL_REASON_LIFETIME_TOO_LONG);
    }

    @Test
    void theMaximumLifetimePublishedWithTheKeysAppliesToCachedTokensToo() {
        String tenMinutes = token().claim("exp", NOW.getEpochSecond() + 600).build();
        String twentyMinutes = token().claim("jti", "at_other").claim("exp", NOW.getEpochSecond() + 1200).build();
        assertThat(validate(twentyMinutes).valid()).isTrue();

        feed.apply(signingKeys(TestKeys.jwks(ED25519, P256), Duration.ofMinutes(10)));

        assertThat(state.maxTokenLifetimeSeconds()).isEqualTo(600);
        assertThat(validate(tenMinutes).valid()).isTrue();
        assertThat(reason(twentyMinutes)).isEqualTo(DENIAL_REASON_LIFETIME_TOO_LONG);
    }

    @Test
    void aSnapshotCarriesTheMaximumLifetimeWithTheKeys() {
        state.applySnapshot(new RevocationSnapshotBuilder(100, 0)
                .add(signingKeys(TestKeys.jwks(ED25519, P256), Duration.ofHours(2))));

        assertThat(state.maxTokenLifetimeSeconds()).isEqualTo(2 * ONE_HOUR);
        assertThat(validate(token().claim("exp", NOW.getEpochSecond() + 2 * ONE_HOUR).build()).valid()).isTrue();
    }
}
