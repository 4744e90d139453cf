package dev.tokenauthority.authority.keys;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * One signing key pair. {@code retiredAt} is null for the current key; {@code revokedAt} is set once
 * an admin revoked it (only a retired key can be); {@code signingParameters} is the private key in
 * the form Bouncy Castle's Ed25519 signer takes, parsed once. {@code privateKey} and
 * {@code signingParameters} are null on a feed-only replica, which loads public keys only.
 */
public record SigningKey(String kid, String alg, PrivateKey privateKey, PublicKey publicKey, String publicJwkJson,
        Instant createdAt, Instant retiredAt, Instant revokedAt, Ed25519PrivateKeyParameters signingParameters) {

    public boolean isCurrent() {
        return retiredAt == null;
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }
}
