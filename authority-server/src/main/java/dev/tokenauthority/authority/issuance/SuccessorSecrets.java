package dev.tokenauthority.authority.issuance;

import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.keys.KeyEncryptionKeys;
import dev.tokenauthority.authority.keys.SuccessorKeyAtRest;
import dev.tokenauthority.authority.token.RefreshTokenFormat;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret of the refresh token a rotation issues, derived from the presented (parent) token's
 * secret: {@code HMAC-SHA256(deployment key, label || parent secret)}, base64url. Only hashes of
 * refresh-token secrets are stored, so this is what lets a retry within the client's reuse grace
 * be handed the same successor again rather than a second, independent chain.
 *
 * <p>Only the holder of the parent's secret can compute the successor's, and only with the key:
 * a copy of the database (hashes and key) yields no usable token, a stolen parent without the
 * key yields nothing beyond what the authority itself hands out within the grace. The key is 256
 * random bits created by the first authority to start on a database and read by every replica,
 * so all of them derive the same successor; it is stored sealed under the key-encryption key
 * ({@link SuccessorKeyAtRest}), so a copy of the database alone does not hold it. The label separates this use of the key from any
 * other; the parent's secret is 256 random bits, unique per token, so successors never collide.
 */
public final class SuccessorSecrets {

    private static final String ALGORITHM = "HmacSHA256";
    /** Domain separation for the key's one use. */
    private static final byte[] LABEL = "ta refresh successor v1\0".getBytes(StandardCharsets.US_ASCII);
    private final Transactions transactor;
    private final KeyEncryptionKeys keks;
    private final Clock clock;
    private volatile SecretKeySpec key;

    public SuccessorSecrets(Transactions transactor, KeyEncryptionKeys keks, Clock clock) {
        this.transactor = transactor;
        this.keks = keks;
        this.clock = clock;
    }

    /** Loads the deployment's key, creating it on a database that has none. */
    public void initialize() {
        byte[] loaded = transactor.inTransaction(tx -> SuccessorKeyAtRest.loadOrCreate(tx, keks, clock.instant()));
        key = new SecretKeySpec(loaded, ALGORITHM);
    }

    /** A new successor of {@code parent}: a random id, the secret derived from the parent's. */
    public RefreshTokenFormat.Parts newSuccessor(RefreshTokenFormat.Parts parent) {
        return successor(RefreshTokenFormat.generate().id(), parent);
    }

    /** The successor {@code successorId} of {@code parent}, as it was issued. */
    public RefreshTokenFormat.Parts successor(String successorId, RefreshTokenFormat.Parts parent) {
        return new RefreshTokenFormat.Parts(successorId, derive(parent.secret()));
    }

    private String derive(String parentSecret) {
        SecretKeySpec current = key;
        if (current == null) {
            throw new IllegalStateException("successor key not loaded; call initialize() at start");
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(current);
            mac.update(LABEL);
            byte[] out = mac.doFinal(parentSecret.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
