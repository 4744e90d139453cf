package dev.tokenauthority.authority.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Random identifiers and secrets, and the hashing of high-entropy secrets (refresh tokens,
 * client secrets). A 256-bit random secret needs no salt or slow hash: SHA-256 is preimage
 * resistant far beyond brute force. Comparison is constant time. Passwords use
 * {@link PasswordHasher} instead.
 */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private Secrets() {}

    /** {@code bytes} random bytes, base64url without padding. */
    public static String randomBase64Url(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return BASE64URL.encodeToString(buffer);
    }

    /** A readable random identifier such as {@code ses_3q2+...}: prefix plus 128 random bits. */
    public static String newId(String prefix) {
        return prefix + randomBase64Url(16);
    }

    /** SHA-256 of the secret's UTF-8 bytes, base64url. */
    public static String hash(String secret) {
        return BASE64URL.encodeToString(sha256(secret.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether {@code secret} hashes to {@code expectedHash}, in time independent of where they differ. */
    public static boolean matches(String secret, String expectedHash) {
        if (secret == null || expectedHash == null) {
            return false;
        }
        byte[] actual = hash(secret).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(actual, expectedHash.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
