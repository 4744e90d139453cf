package dev.tokenauthority.authority.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The configured key-encryption keys, in order: the first seals, every one opens. Rotating the KEK
 * is configuring [new, old], re-encrypting the stored keys ({@link SigningKeyRewrap}), then
 * configuring [new] alone.
 *
 * <p>Sealing is AES-256-GCM (NIST SP 800-38D) with a random 96-bit nonce per encryption: at most a
 * few keys are sealed per KEK in its life, far below the 2^32 random-nonce limit of §8.3. The
 * associated data binds the ciphertext to its row: the kid of the signing key and the id of the
 * KEK, so a ciphertext copied onto another key's row, or relabelled with another KEK's id, fails
 * authentication instead of opening as that key. Stored form: base64(nonce || ciphertext || tag).
 */
public final class KeyEncryptionKeys {

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String AAD_LABEL = "token-authority signing_keys v1";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<KeyEncryptionKey> keys;
    private final Map<String, KeyEncryptionKey> byId;

    /** None at all: a feed-only replica, which reads only the public half of each signing key. */
    private static final KeyEncryptionKeys NONE = new KeyEncryptionKeys(List.of(), true);

    private KeyEncryptionKeys(List<KeyEncryptionKey> keys) {
        this(keys, false);
    }

    private KeyEncryptionKeys(List<KeyEncryptionKey> keys, boolean none) {
        if (keys.isEmpty() && !none) {
            throw new IllegalArgumentException("at least one key-encryption key is needed");
        }
        this.keys = List.copyOf(keys);
        this.byId = new LinkedHashMap<>();
        keys.forEach(key -> byId.putIfAbsent(key.id(), key));
    }

    public static KeyEncryptionKeys of(List<KeyEncryptionKey> keys) {
        return new KeyEncryptionKeys(keys);
    }

    public static KeyEncryptionKeys of(KeyEncryptionKey... keys) {
        return new KeyEncryptionKeys(List.of(keys));
    }

    /**
     * No key-encryption key: the signing keys are loaded without their private halves, so nothing
     * can be signed. For a feed-only replica, which serves only public keys and so need not hold
     * the one secret that opens every signing key in the database.
     */
    public static KeyEncryptionKeys none() {
        return NONE;
    }

    /** Whether any KEK is configured, so that private keys can be opened (false for {@link #none()}). */
    public boolean canOpen() {
        return !keys.isEmpty();
    }

    /** The KEK that seals; the first configured. */
    public KeyEncryptionKey primary() {
        if (keys.isEmpty()) {
            throw new IllegalStateException("no key-encryption key is configured (a feed-only replica holds none)");
        }
        return keys.get(0);
    }

    /** The configured ids, in order, for messages. */
    public List<String> ids() {
        return keys.stream().map(KeyEncryptionKey::id).toList();
    }

    /** A private key sealed under a KEK: what the database stores. */
    public record Sealed(String kekId, String ciphertext) {
        @Override
        public String toString() {
            return "Sealed[" + kekId + "]";
        }
    }

    /** Seals a signing key's private key (its PKCS#8 bytes) for the row of {@code kid}, under the primary KEK. */
    public Sealed seal(String kid, byte[] privateKey) {
        KeyEncryptionKey kek = primary();
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, kek.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(kid, kek.id()));
            byte[] sealed = cipher.doFinal(privateKey);
            byte[] stored = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, stored, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, stored, NONCE_BYTES, sealed.length);
            return new Sealed(kek.id(), Base64.getEncoder().encodeToString(stored));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /**
     * Opens the private key stored in the row of {@code kid}.
     *
     * @throws KeyEncryptionException when its KEK is not configured or the ciphertext fails authentication
     */
    public byte[] open(String kid, Sealed sealed) {
        KeyEncryptionKey kek = byId.get(sealed.kekId());
        if (kek == null) {
            throw new KeyEncryptionException("signing key " + kid + " is sealed by key-encryption key "
                    + sealed.kekId() + ", which is not configured (tried " + describeIds()
                    + "): add that key's file to --key-encryption-key-file");
        }
        byte[] stored;
        try {
            stored = Base64.getDecoder().decode(sealed.ciphertext());
        } catch (IllegalArgumentException e) {
            throw unopenable(kid, kek, "its ciphertext is not base64");
        }
        if (stored.length < NONCE_BYTES + TAG_BITS / 8) {
            throw unopenable(kid, kek, "its ciphertext is too short");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, kek.secretKey(), new GCMParameterSpec(TAG_BITS, stored, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData(kid, kek.id()));
            return cipher.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw unopenable(kid, kek, "its ciphertext fails authentication (altered, or copied from another key's row)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    private KeyEncryptionException unopenable(String kid, KeyEncryptionKey kek, String why) {
        return new KeyEncryptionException("signing key " + kid + " cannot be opened with key-encryption key "
                + kek.id() + " (configured: " + describeIds() + "): " + why);
    }

    private String describeIds() {
        return keys.stream().map(KeyEncryptionKey::id).collect(Collectors.joining(", "));
    }

    private static byte[] associatedData(String kid, String kekId) {
        return (AAD_LABEL + "\0" + kid + "\0" + kekId).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "KeyEncryptionKeys" + ids();
    }
}
