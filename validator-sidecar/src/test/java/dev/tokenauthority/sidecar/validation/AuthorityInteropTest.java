package dev.tokenauthority.sidecar.validation;

import static dev.tokenauthority.sidecar.testing.TestTokens.AUDIENCE;
import static dev.tokenauthority.sidecar.testing.TestTokens.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.DenialReason;
import dev.tokenauthority.authority.testing.MutableClock;
import dev.tokenauthority.sidecar.state.InMemoryRevocationState;
import dev.tokenauthority.sidecar.testing.FeedEntries;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

/**
 * Tokens and JWK sets produced with jose4j the way the authority's {@code AccessTokenSigner} and {@code Ed25519Keys}
 * produce them (thumbprint kid, "use":"sig", "alg":"EdDSA", iat_us from the same instant as iat) are accepted: the
 * sidecar's strict parser agrees with the issuer's serializer.
 */
class AuthorityInteropTest {

    private static final Instant ISSUED_AT = Instant.parse("2026-03-01T12:00:00.654321Z");

    @Test
    void aTokenSignedTheWayTheAuthoritySignsIsValid() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic());
        jwk.setKeyId(jwk.calculateBase64urlEncodedThumbprint("SHA-256"));
        jwk.setAlgorithm("EdDSA");
        jwk.setUse("sig");
        String jwksJson = new JsonWebKeySet(jwk).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);

        InMemoryRevocationState state = new InMemoryRevocationState();
        new FeedEntries(state).apply(FeedEntries.signingKeys(jwksJson));
        TokenValidator validator = new TokenValidator(ValidatorSettings.forIssuer(ISSUER, AcceptedAudiences.anyOf(AUDIENCE)),
                state, new MutableClock(ISSUED_AT.plusSeconds(5)));

        for (List<String> audience : List.of(List.of(AUDIENCE), List.of(AUDIENCE, "billing-api"))) {
            JwtClaims claims = new JwtClaims();
            claims.setIssuer(ISSUER);
            claims.setSubject("usr_1");
            claims.setAudience(audience);
            claims.setExpirationTime(NumericDate.fromSeconds(ISSUED_AT.getEpochSecond() + 300));
            claims.setIssuedAt(NumericDate.fromSeconds(ISSUED_AT.getEpochSecond()));
            claims.setJwtId("at_abc");
            claims.setClaim("client_id", "cli_1");
            claims.setClaim("scope", String.join(" ", List.of("orders:read", "orders:write")));
            claims.setClaim("sid", "ses_1");
            claims.setClaim("iat_us", ChronoUnit.MICROS.between(Instant.EPOCH, ISSUED_AT));
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.EDDSA);
            jws.setKeyIdHeaderValue(jwk.getKeyId());
            jws.setHeader("typ", "at+jwt");
            jws.setKey(pair.getPrivate());

            ValidationDecision decision = validator.validate(jws.getCompactSerialization(), "", List.of("orders:read"));

            assertThat(decision.reason()).isEqualTo(DenialReason.DENIAL_REASON_UNSPECIFIED);
            assertThat(decision.claims().issuedAtMicros()).isEqualTo(ChronoUnit.MICROS.between(Instant.EPOCH,
                    ISSUED_AT));
            assertThat(decision.claims().audiences()).containsExactlyElementsOf(audience);
        }
    }
}
