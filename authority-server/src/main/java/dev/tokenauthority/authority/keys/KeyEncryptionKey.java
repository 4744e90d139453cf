package dev.tokenauthority.authority.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A key-encryption key (KEK): 256 bits for AES-256-GCM that seal the private signing keys stored
 * in the database. It lives outside the database (a file, see the README's "Keys at rest"), so a
 * copy of the database alone, a backup or a dump, does not hold a usable signing key.
 *
 * <p>{@code id} names the KEK in the database, next to each key it sealed: a truncated SHA-256
 * of a domain-separation label and the key, so it identifies the KEK without revealing anything
 * usable about it. {@link #toString()} shows only the id.
 */
public final class KeyEncryptionKey {

    /** AES-256. */
    public static final int LENGTH_BYTES = 32;
    private static final String ID_LABEL = "token-authority key-encryption-key id v1\0";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String id;
    private final SecretKey key;

    private KeyEncryptionKey(byte[] material) {
        if (material.length != LENGTH_BYTES) {
            throw new IllegalArgumentException("a key-encryption key is " + LENGTH_BYTES + " bytes, not "
                    + material.length);
        }
        this.key = new SecretKeySpec(material, "AES");
        this.id = idOf(material);
    }

    public static KeyEncryptionKey of(byte[] material) {
        return new KeyEncryptionKey(material.clone());
    }

    public static KeyEncryptionKey generate() {
        byte[] material = new byte[LENGTH_BYTES];
        RANDOM.nextBytes(material);
        return new KeyEncryptionKey(material);
    }

    public String id() {
        return id;
    }

    SecretKey secretKey() {
        return key;
    }

    /** The key's bytes, to write it to its file once; never to a log. */
    public byte[] material() {
        return key.getEncoded();
    }

    private static String idOf(byte[] material) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(ID_LABEL.getBytes(StandardCharsets.US_ASCII));
            byte[] digest = sha256.digest(material);
            return "kek-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return id;
    }
}
