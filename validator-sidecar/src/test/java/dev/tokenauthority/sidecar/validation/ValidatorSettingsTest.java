package dev.tokenauthority.sidecar.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ValidatorSettingsTest {

    @Test
    void defaultsAreNoAudienceThirtySecondsSkewAndAHundredThousandCachedTokens() {
        ValidatorSettings settings = ValidatorSettings.forIssuer("https://authority.example");

        assertThat(settings.issuer()).isEqualTo("https://authority.example");
        assertThat(settings.audience()).isEmpty();
        assertThat(settings.clockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.cacheCapacity()).isEqualTo(100_000);
    }

    @Test
    void everySettingCanBeChanged() {
        ValidatorSettings settings = ValidatorSettings.forIssuer("iss").withAudience("aud")
                .withClockSkew(Duration.ofSeconds(5)).withCacheCapacity(7);

        assertThat(settings).isEqualTo(new ValidatorSettings("iss", "aud", Duration.ofSeconds(5), 7));
    }

    @Test
    void invalidSettingsFailAtConstruction() {
        assertThatThrownBy(() -> ValidatorSettings.forIssuer("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ValidatorSettings.forIssuer("iss").withClockSkew(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ValidatorSettings.forIssuer("iss").withClockSkew(Duration.ofMinutes(6)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ValidatorSettings.forIssuer("iss").withCacheCapacity(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ValidatorSettings.forIssuer("iss").withAudience(null))
                .isInstanceOf(NullPointerException.class);
    }
}
