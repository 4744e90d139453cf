package dev.tokenauthority.authority.keys;

/**
 * A stored private signing key that the configured key-encryption keys cannot open: sealed by a
 * KEK that is not configured, or a ciphertext that fails authentication (altered, or moved from
 * another row). The message names the kid and the KEK ids involved, never key material; at
 * start-up it is what the operator reads.
 */
public final class KeyEncryptionException extends RuntimeException {

    public KeyEncryptionException(String message) {
        super(message, null, false, false);
    }
}
