package dev.tokenauthority.bench;

import java.security.KeyPair;
import org.jose4j.jca.ProviderContext;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.JoseException;

/**
 * jose4j EdDSA end to end as {@link SigningAlgorithmBenchmark} measures it: a compact JWS of the
 * typical claims, and a consumer that parses, verifies and validates one. A null
 * {@link ProviderContext} means the JDK's default providers.
 */
final class Jose4jEdDsa {

    private Jose4jEdDsa() {
    }

    static JwtConsumer consumer(KeyPair keys, ProviderContext ctx) {
        JwtConsumerBuilder b = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds(30)
                .setExpectedIssuer("https://auth.tokenauthority.dev")
                .setExpectedAudience("api.tokenauthority.dev")
                .setVerificationKey(keys.getPublic());
        if (ctx != null) {
            b.setJwsProviderContext(ctx);
        }
        return b.build();
    }

    static String sign(KeyPair keys, ProviderContext ctx) throws JoseException {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(JwsSigningInput.PAYLOAD_JSON);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.EDDSA);
        jws.setKeyIdHeaderValue("ta-2025-06-01-ed25519-01");
        jws.setHeader("typ", "JWT");
        jws.setKey(keys.getPrivate());
        if (ctx != null) {
            jws.setProviderContext(ctx);
        }
        return jws.getCompactSerialization();
    }
}
