package dev.tokenauthority.sidecar.validation;

import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_EXPIRED;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_INSUFFICIENT_SCOPE;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_MALFORMED;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_NOT_YET_VALID;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_UNSPECIFIED;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_WRONG_AUDIENCE;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_WRONG_ISSUER;
import static dev.tokenauthority.sidecar.testing.TestTokens.AUDIENCE;
import static dev.tokenauthority.sidecar.testing.TestTokens.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.sidecar.testing.Json;
import dev.tokenauthority.sidecar.testing.TestTokens;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Claim checks: format, time with skew (RFC 7519 section 4.1), issuer, audience and scope (RFC 9068 section 4). */
class TokenValidatorClaimsTest extends ValidatorTestSupport {

    private static final long SKEW_MILLIS = ValidatorSettings.DEFAULT_CLOCK_SKEW.toMillis();

    // ---- exp, nbf, iat around the skew boundary ----

    @Test
    void aTokenIsValidUntilTheLastMillisecondBeforeExpPlusSkew() {
        String token = token().build(); // exp = NOW + 300 s
        clock.set(NOW.plusSeconds(300).plusMillis(SKEW_MILLIS - 1));

        assertThat(validate(token).valid()).isTrue();
    }

    @Test
    void aTokenIsExpiredFromExpPlusSkewOn() {
        String token = token().build();
        clock.set(NOW.plusSeconds(300).plusMillis(SKEW_MILLIS));

        assertThat(reason(token)).isEqualTo(DENIAL_REASON_EXPIRED);
    }

    @Test
    void aCachedTokenExpiresTooAndLeavesTheCache() {
        String token = token().build();
        assertThat(validate(token).valid()).isTrue();
        assertThat(validator.cachedTokenCount()).isEqualTo(1);

        clock.set(NOW.plusSeconds(300).plusMillis(SKEW_MILLIS));

        assertThat(reason(token)).isEqualTo(DENIAL_REASON_EXPIRED);
        assertThat(validator.cachedTokenCount()).isZero();
    }

    @Test
    void aTokenIsValidFromNbfMinusSkew() {
        String token = token().claim("nbf", NOW.getEpochSecond() + 60).build();
        clock.set(NOW.plusSeconds(60).minusMillis(SKEW_MILLIS));

        assertThat(validate(token).valid()).isTrue();
    }

    @Test
    void aTokenIsNotYetValidOneMillisecondBeforeNbfMinusSkew() {
        String token = token().claim("nbf", NOW.getEpochSecond() + 60).build();
        clock.set(NOW.plusSeconds(60).minusMillis(SKEW_MILLIS + 1));

        assertThat(reason(token)).isEqualTo(DENIAL_REASON_NOT_YET_VALID);
        clock.set(NOW.plusSeconds(60).minusMillis(SKEW_MILLIS)); // and the cached entry becomes valid on time
        assertThat(validate(token).valid()).isTrue();
    }

    @Test
    void aTokenIssuedUpToSkewInTheFutureIsValid() {
        String token = token().issuedAt(NOW.plusMillis(SKEW_MILLIS)).build();

        assertThat(validate(token).valid()).isTrue();
    }

    @Test
    void aTokenIssuedMoreThanSkewInTheFutureIsNotYetValid() {
        String token = token().issuedAt(NOW.plusMillis(SKEW_MILLIS + 1000)).build();

        assertThat(reason(token)).isEqualTo(DENIAL_REASON_NOT_YET_VALID);
    }

    @Test
    void theSkewIsConfigurable() {
        validator = newValidator(ValidatorSettings.forIssuer(ISSUER, AcceptedAudiences.anyOf(AUDIENCE)).withClockSkew(Duration.ZERO));
        String token = token().build();
        clock.set(NOW.plusSeconds(300));

        assertThat(reason(token)).isEqualTo(DENIAL_REASON_EXPIRED);
        clock.set(NOW.plusSeconds(300).minusMillis(1));
        assertThat(validate(token).valid()).isTrue();
    }

    // ---- claim format ----

    @ParameterizedTest(name = "without {0}")
    @ValueSource(strings = {"iss", "sub", "aud", "exp", "iat", "jti", "client_id", "scope", "sid"})
    void aTokenMissingARequiredClaimIsMalformed(String claim) {
        assertThat(reason(token().withoutClaim(claim).build())).isEqualTo(DENIAL_REASON_MALFORMED);
    }

    @Test
    void nbfAndIatUsAreOptional() {
        ValidationDecision decision = validate(token().withoutClaim("iat_us").build());

        assertThat(decision.valid()).isTrue();
        assertThat(decision.claims().issuedAtMicros()).isEqualTo(NOW.getEpochSecond() * 1_000_000);
        assertThat(decision.claims().notBefore()).isEqualTo(AccessTokenClaims.NO_NOT_BEFORE);
    }

    @ParameterizedTest(name = "exp = {0}")
    @ValueSource(strings = {"\"1772366700\"", "1772366700.0", "1772366700.5", "1.7723667e9", "-1", "253402300800",
            "99999999999999999999999", "true", "null", "[1772366700]", "{}"})
    void anExpThatIsNotAnIntegerNumericDateIsMalformed(String exp) {
        assertThat(reason(token().claim("exp", new Json.Raw(exp)).build())).isEqualTo(DENIAL_REASON_MALFORMED);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"iat", "nbf", "iat_us", "auth_time", "auth_time_us"})
    void otherTimeClaimsOfTheWrongTypeAreMalformed(String claim) {
        assertThat(reason(token().claim(claim, "1772366400").build())).isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(reason(token().claim(claim, new Json.Raw("1.5")).build())).isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(reason(token().claim(claim, -5).build())).isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(reason(token().claim(claim, new Json.Raw("null")).build())).isEqualTo(DENIAL_REASON_MALFORMED);
    }

    @Test
    void anIatUsThatDisagreesWithIatIsMalformed() {
        long iatMicros = NOW.getEpochSecond() * 1_000_000;

        assertThat(reason(token().claim("iat_us", iatMicros + 1_000_000).build())).isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(reason(token().claim("iat_us", iatMicros - 1).build())).isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(validate(token().claim("iat_us", iatMicros + 999_999).build()).valid()).isTrue();
    }

    @Test
    void aSessionStartAfterTheTokensIssueOrThatDisagreesWithAuthTimeIsMalformed() {
        long iatMicros = NOW.getEpochSecond() * 1_000_000;

        assertThat(reason(token().claim("auth_time_us", iatMicros + 1).build())).isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(reason(token().claim("auth_time", NOW.getEpochSecond() + 1).build()))
                .isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(reason(token().claim("auth_time", NOW.getEpochSecond() - 5).claim("auth_time_us", iatMicros - 1)
                .build())).isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(validate(token().claim("auth_time", NOW.getEpochSecond() - 5)
                .claim("auth_time_us", iatMicros - 5_000_000).build()).valid()).isTrue();
        assertThat(validate(token().claim("auth_time", NOW.getEpochSecond() - 5).build()).valid())
                .as("auth_time alone").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"iss", "sub", "jti", "client_id", "sid"})
    void aStringClaimThatIsEmptyOrNotAStringIsMalformed(String claim) {
        assertThat(reason(token().claim(claim, "").build())).isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(reason(token().claim(claim, 42).build())).isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(reason(token().claim(claim, List.of("a")).build())).isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(reason(token().claim(claim, new Json.Raw("null")).build())).isEqualTo(DENIAL_REASON_MALFORMED);
    }

    @Test
    void anAudThatIsNotAStringOrANonEmptyArrayOfStringsIsMalformed() {
        for (String aud : List.of("42", "[]", "[\"orders-api\", 1]", "[\"\"]", "\"\"", "{}", "null")) {
            assertThat(reason(token().claim("aud", new Json.Raw(aud)).build())).as(aud)
                    .isEqualTo(DENIAL_REASON_MALFORMED);
        }
    }

    @Test
    void aScopeThatIsNotASpaceSeparatedListOfScopeTokensIsMalformed() {
        for (String scope : List.of("orders:read  orders:write", " orders:read", "orders:read ", "a\tb", "a\"b",
                "a\\b", "caf\u00e9")) {
            assertThat(reason(token().claim("scope", scope).build())).as(scope).isEqualTo(DENIAL_REASON_MALFORMED);
        }
        assertThat(reason(token().claim("scope", List.of("orders:read")).build())).isEqualTo(DENIAL_REASON_MALFORMED);
    }

    @Test
    void duplicateClaimNamesAreMalformedEvenWhenSpelledWithEscapes() {
        String claims = Json.write(token().claims());
        String duplicated = claims.substring(0, claims.length() - 1) + ",\"sub\":\"usr_admin\"}";
        String escaped = claims.substring(0, claims.length() - 1) + ",\"s\\u0075b\":\"usr_admin\"}";

        assertThat(reason(token().rawPayload(duplicated).build())).isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(reason(token().rawPayload(escaped).build())).isEqualTo(DENIAL_REASON_MALFORMED);
    }

    @Test
    void claimsThatAreNotAJsonObjectOrHaveTrailingGarbageAreMalformed() {
        String claims = Json.write(token().claims());
        for (String payload : List.of("[]", "\"x\"", claims + "x", claims + "{}", claims.replace("}", ",}"), "")) {
            assertThat(reason(token().rawPayload(payload).build())).isEqualTo(DENIAL_REASON_MALFORMED);
        }
    }

    // ---- iss ----

    @ParameterizedTest(name = "iss {0}")
    @ValueSource(strings = {"HTTPS://AUTHORITY.EXAMPLE.TEST", "https://authority.example.test/",
            "https://authority.example", "https://authority.example.test.evil.example", "http://authority.example.test",
            " https://authority.example.test"})
    void anyIssuerButTheExactConfiguredStringIsTheWrongIssuer(String issuer) {
        assertThat(reason(token().claim("iss", issuer).build())).isEqualTo(DENIAL_REASON_WRONG_ISSUER);
    }

    @Test
    void expiryIsCheckedBeforeTheIssuer() {
        String token = token().claim("iss", "https://other.example").build();
        clock.advance(Duration.ofHours(1));

        assertThat(reason(token)).isEqualTo(DENIAL_REASON_EXPIRED);
    }

    // ---- aud ----

    @Test
    void aTokenForAnotherAudienceIsTheWrongAudience() {
        assertThat(reason(token().claim("aud", "billing-api").build())).isEqualTo(DENIAL_REASON_WRONG_AUDIENCE);
        assertThat(reason(token().claim("aud", "orders-api-admin").build())).isEqualTo(DENIAL_REASON_WRONG_AUDIENCE);
        assertThat(reason(token().claim("aud", "ORDERS-API").build())).isEqualTo(DENIAL_REASON_WRONG_AUDIENCE);
    }

    @Test
    void anAudienceArrayContainingTheRequiredAudienceIsAccepted() {
        assertThat(validate(token().claim("aud", List.of("billing-api", AUDIENCE)).build()).valid()).isTrue();
    }

    @Test
    void aTokenForAnyOfTheConfiguredAudiencesIsAccepted() {
        validator = newValidator(ValidatorSettings.forIssuer(ISSUER, AcceptedAudiences.anyOf(AUDIENCE, "billing-api")));

        assertThat(validator.validate(token().build(), "", List.of()).valid()).isTrue();
        assertThat(validator.validate(token().claim("aud", "billing-api").build(), "", List.of()).valid()).isTrue();
        assertThat(validator.validate(token().claim("aud", List.of("shipping-api", "billing-api")).build(), "",
                List.of()).valid()).isTrue();
        assertThat(validator.validate(token().claim("aud", "shipping-api").build(), "", List.of()).reason())
                .isEqualTo(DENIAL_REASON_WRONG_AUDIENCE);
    }

    @Test
    void aRequestAudienceNarrowsTheCheckToThatAudience() {
        validator = newValidator(ValidatorSettings.forIssuer(ISSUER, AcceptedAudiences.anyOf(AUDIENCE, "billing-api")));
        String token = token().build();

        assertThat(validator.validate(token, AUDIENCE, List.of()).valid()).isTrue();
        assertThat(validator.validate(token, "billing-api", List.of()).reason())
                .isEqualTo(DENIAL_REASON_WRONG_AUDIENCE);
        assertThat(validator.validate(token, "", List.of()).valid()).isTrue();
        assertThat(validator.validate(token, null, List.of()).valid()).isTrue();
    }

    @Test
    void aRequestAudienceOutsideTheConfiguredOnesIsTheWrongAudienceEvenWhenTheTokenCarriesIt() {
        String token = token().claim("aud", List.of(AUDIENCE, "shipping-api")).build();

        assertThat(validator.validate(token, "shipping-api", List.of()).reason())
                .isEqualTo(DENIAL_REASON_WRONG_AUDIENCE);
        assertThat(validator.validate(token, AUDIENCE, List.of()).valid()).isTrue();
    }

    @Test
    void withAnyAudienceOnlyARequestAudienceIsChecked() {
        validator = newValidator(ValidatorSettings.forIssuer(ISSUER, AcceptedAudiences.any()));
        String token = token().claim("aud", "billing-api").build();

        assertThat(validator.validate(token, "", List.of()).valid()).isTrue();
        assertThat(validator.validate(token, "billing-api", List.of()).valid()).isTrue();
        assertThat(validator.validate(token, AUDIENCE, List.of()).reason()).isEqualTo(DENIAL_REASON_WRONG_AUDIENCE);
    }

    // ---- scope ----

    @Test
    void aTokenLackingARequiredScopeHasInsufficientScope() {
        String token = token().build();

        assertThat(validator.validate(token, AUDIENCE, List.of("orders:read", "orders:delete")).reason())
                .isEqualTo(DENIAL_REASON_INSUFFICIENT_SCOPE);
        assertThat(validator.validate(token, AUDIENCE, List.of("orders")).reason())
                .isEqualTo(DENIAL_REASON_INSUFFICIENT_SCOPE);
        assertThat(validator.validate(token, AUDIENCE, List.of("orders:read", "orders:write")).reason())
                .isEqualTo(DENIAL_REASON_UNSPECIFIED);
    }

    @Test
    void aTokenWithAnEmptyScopeSatisfiesOnlyRequestsRequiringNone() {
        String token = token().claim("scope", "").build();

        assertThat(validator.validate(token, AUDIENCE, List.of()).valid()).isTrue();
        assertThat(validator.validate(token, AUDIENCE, null).valid()).isTrue();
        assertThat(reason(token)).isEqualTo(DENIAL_REASON_INSUFFICIENT_SCOPE);
    }

    @Test
    void theValidDecisionCarriesTheClaimsTheSidecarReturns() {
        AccessTokenClaims claims = validate(token().build()).claims();

        assertThat(claims.issuer()).isEqualTo(ISSUER);
        assertThat(claims.subject()).isEqualTo(TestTokens.SUBJECT);
        assertThat(claims.audiences()).containsExactly(AUDIENCE);
        assertThat(claims.clientId()).isEqualTo(TestTokens.CLIENT_ID);
        assertThat(claims.sessionId()).isEqualTo(TestTokens.SESSION_ID);
        assertThat(claims.tokenId()).isEqualTo(TestTokens.TOKEN_ID);
        assertThat(claims.expiresAtInstant()).isEqualTo(NOW.plusSeconds(300));
    }
}
