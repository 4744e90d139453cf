package dev.tokenauthority.authority.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import dev.tokenauthority.api.v1.GetJwksRequest;
import dev.tokenauthority.api.v1.RotateSigningKeyRequest;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.LocalPorts;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.authority.token.TokenPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Discovery as a relying party does it, knowing only the issuer URL: Nimbus JOSE+JWT (an independent JOSE library)
 * reads the metadata at the issuer's well-known path, follows {@code jwks_uri} and verifies our access tokens'
 * signatures and claims with the keys it finds there, before and after a key rotation. The JWK set's cache lifetime
 * never reaches past the end of a retired key's publication window.
 */
class DiscoveryTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private AuthorityFixture fx;
    private WebListener web;
    private String issuer;

    @BeforeEach
    void start() throws Exception {
        int port = LocalPorts.freePort();
        issuer = "http://127.0.0.1:" + port;
        fx = AuthorityFixture.withIssuer(TestDatabase.Kind.H2, issuer);
        web = WebListener.start(new WebOptions(port, Set.of(), true, null, null, null), fx.authority);
    }

    @AfterEach
    void stop() throws Exception {
        web.stop();
        fx.close();
    }

    @Test
    void aRelyingPartyGivenOnlyTheIssuerFindsTheKeysAndVerifiesOurAccessTokens() throws Exception {
        String aliceToken = fx.login(AuthorityFixture.ALICE).getAccessToken();

        Map<String, Object> metadata = JSONObjectUtils.parse(get(issuer + "/.well-known/openid-configuration").body());
        assertThat(metadata).as("only what is true: no endpoint that does not exist")
                .containsOnlyKeys("issuer", "jwks_uri")
                .containsEntry("issuer", issuer)
                .containsEntry("jwks_uri", issuer + "/.well-known/jwks.json");
        assertThat(JSONObjectUtils.parse(get(issuer + "/.well-known/oauth-authorization-server").body()))
                .isEqualTo(metadata);
        String jwksUri = (String) metadata.get("jwks_uri");
        // Public documents: a relying party in a browser may read them from any origin, without credentials.
        assertThat(get(jwksUri).headers().firstValue("access-control-allow-origin")).hasValue("*");
        assertThat(get(issuer + "/.well-known/openid-configuration").headers()
                .firstValue("access-control-allow-origin")).hasValue("*");

        JWKSet keys = JWKSet.parse(get(jwksUri).body());
        assertThat(keys.getKeys()).hasSize(1);
        assertThat(keys).hasToString(JWKSet.parse(fx.keys().getJwks(GetJwksRequest.getDefaultInstance())
                .getJwksJson()).toString());
        JWTClaimsSet claims = verified(aliceToken, keys);
        assertThat(claims.getSubject()).isEqualTo(fx.user(AuthorityFixture.ALICE).id());
        assertThat(claims.getStringClaim("client_id")).isEqualTo(DemoData.APP_CLIENT);

        String tampered = aliceToken.substring(0, aliceToken.indexOf('.') + 2)
                + (aliceToken.charAt(aliceToken.indexOf('.') + 2) == 'A' ? 'B' : 'A')
                + aliceToken.substring(aliceToken.indexOf('.') + 3);
        assertThat(verifies(tampered, keys)).as("a token changed after signing").isFalse();

        // After a rotation a token of the new key verifies against the set at jwks_uri, and one of the old key still.
        fx.keysAs(fx.loginAdmin().getAccessToken()).rotateSigningKey(RotateSigningKeyRequest.newBuilder()
                .setReason("test").build());
        JWKSet rotated = JWKSet.parse(get(jwksUri).body());
        assertThat(rotated.getKeys()).hasSize(2);
        verified(fx.login(AuthorityFixture.BOB).getAccessToken(), rotated);
        verified(aliceToken, rotated);
    }

    @Test
    void anIssuerWithAPathHasItsMetadataWhereRfc8414AndOpenIdDiscoveryLookAndItsJwksUriServed() throws Exception {
        int port = LocalPorts.freePort();
        String origin = "http://127.0.0.1:" + port;
        String tenant = origin + "/tenant-a";
        try (AuthorityFixture withPath = AuthorityFixture.withIssuer(TestDatabase.Kind.H2, tenant)) {
            WebListener listener = WebListener.start(new WebOptions(port, Set.of(), true, null, null, null),
                    withPath.authority);
            try {
                // RFC 8414 section 3: the well-known suffix goes between the host and the issuer's path.
                Map<String, Object> metadata = JSONObjectUtils.parse(
                        get(origin + "/.well-known/oauth-authorization-server/tenant-a").body());
                assertThat(metadata).containsEntry("issuer", tenant)
                        .containsEntry("jwks_uri", tenant + "/.well-known/jwks.json");
                // OpenID Connect Discovery 1.0 section 4: appended to the issuer.
                assertThat(JSONObjectUtils.parse(get(tenant + "/.well-known/openid-configuration").body()))
                        .isEqualTo(metadata);
                String token = withPath.login(AuthorityFixture.ALICE).getAccessToken();
                assertThat(verifies(token, JWKSet.parse(get((String) metadata.get("jwks_uri")).body()))).isTrue();
                assertThat(SignedJWT.parse(token).getJWTClaimsSet().getIssuer()).isEqualTo(tenant);
            } finally {
                listener.stop();
            }
        }
    }

    @Test
    void theJwkSetIsNeverCachedPastTheEndOfARetiredKeysPublication() throws Exception {
        String jwksUri = issuer + "/.well-known/jwks.json";
        assertThat(get(jwksUri).headers().firstValue("cache-control")).hasValue("public, max-age=300");

        fx.keysAs(fx.loginAdmin().getAccessToken()).rotateSigningKey(RotateSigningKeyRequest.newBuilder()
                .setReason("test").build());
        Duration publication = TokenPolicy.DEFAULT_MAX_ACCESS_TOKEN_TTL.plus(TokenPolicy.DEFAULT_CLOCK_SKEW);
        assertThat(get(jwksUri).headers().firstValue("cache-control")).hasValue("public, max-age=300");

        fx.clock.advance(publication.minusSeconds(100));
        HttpResponse<String> nearTheEnd = get(jwksUri);
        assertThat(JWKSet.parse(nearTheEnd.body()).getKeys()).hasSize(2);
        assertThat(nearTheEnd.headers().firstValue("cache-control")).hasValue("public, max-age=100");

        fx.clock.advance(Duration.ofSeconds(100));
        HttpResponse<String> after = get(jwksUri);
        assertThat(JWKSet.parse(after.body()).getKeys()).as("the retired key is withdrawn").hasSize(1);
        assertThat(after.headers().firstValue("cache-control")).hasValue("public, max-age=300");
    }

    /** What a relying party does with a token: find its kid in the set, check the EdDSA signature, then the claims. */
    private JWTClaimsSet verified(String token, JWKSet keys) throws Exception {
        assertThat(verifies(token, keys)).as("signature verifies with the published key").isTrue();
        JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
        new DefaultJWTClaimsVerifier<>(DemoData.AUDIENCE, new JWTClaimsSet.Builder().issuer(issuer).build(),
                Set.of("sub", "exp", "iat", "jti", "client_id")).verify(claims, null);
        return claims;
    }

    private static boolean verifies(String token, JWKSet keys) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("at+jwt");
        OctetKeyPair key = (OctetKeyPair) keys.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("the token's kid is in the set").isNotNull();
        return jwt.verify(new Ed25519Verifier(key.toPublicJWK()));
    }

    private HttpResponse<String> get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        return response;
    }
}
