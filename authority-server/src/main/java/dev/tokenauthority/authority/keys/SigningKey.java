package dev.tokenauthority.authority.keys;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;

/** One signing key pair. {@code retiredAt} is null for the current key. */
public record SigningKey(String kid, String alg, PrivateKey privateKey, PublicKey publicKey, String publicJwkJson,
        Instant createdAt, Instant retiredAt) {

    public boolean isCurrent() {
        return retiredAt == null;
    }
}
