package dev.tokenauthority.sidecar.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValidatorSettingsTest {

    @Test
    void defaultsAreThirtySecondsSkewAndAHundredThousandCachedTokens() {
        ValidatorSettings settings = ValidatorSettings.forIssuer("https://authority.example",
                AcceptedAudiences.anyOf("orders-api"));

        assertThat(settings.issuer()).isEqualTo("https://authority.example");
        assertThat(settings.audiences()).isEqualTo(new AcceptedAudiences(false, Set.of("orders-api")));
        assertThat(settings.clockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.cacheCapacity()).isEqualTo(100_000);
    }

    @Test
    void everySettingCanBeChanged() {
        ValidatorSettings settings = ValidatorSettings.forIssuer("iss", AcceptedAudiences.anyOf("aud"))
                .withAudiences(AcceptedAudiences.any()).withClockSkew(Duration.ofSeconds(5)).withCacheCapacity(7);

        assertThat(settings).isEqualTo(new ValidatorSettings("iss", AcceptedAudiences.any(), Duration.ofSeconds(5), 7));
    }

    @Test
    void invalidSettingsFailAtConstruction() {
        AcceptedAudiences aud = AcceptedAudiences.anyOf("aud");
        assertThatThrownBy(() -> ValidatorSettings.forIssuer("", aud)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ValidatorSettings.forIssuer("iss", aud).withClockSkew(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ValidatorSettings.forIssuer("iss", aud).withClockSkew(Duration.ofMinutes(6)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ValidatorSettings.forIssuer("iss", aud).withCacheCapacity(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ValidatorSettings.forIssuer("iss", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void acceptedAudiencesAreEitherANonEmptyListOrExplicitlyAny() {
        assertThat(AcceptedAudiences.anyOf(List.of("a", "b", "a")).names()).containsExactlyInAnyOrder("a", "b");
        assertThat(AcceptedAudiences.any().anyAudience()).isTrue();
        assertThatThrownBy(() -> AcceptedAudiences.anyOf(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one audience");
        assertThatThrownBy(() -> new AcceptedAudiences(true, Set.of("a"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> AcceptedAudiences.anyOf(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AcceptedAudiences.anyOf("a ")).isInstanceOf(IllegalArgumentException.class);
    }
}
