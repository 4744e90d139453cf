package dev.tokenauthority.api;

import java.security.SecureRandom;

/**
 * Hashes an identifier (jti, session id, user id) to the 64-bit key a validator's revocation tables store, with
 * SipHash-2-4 (Aumasson and Bernstein, 2012) over the string's UTF-16LE code units under a 128-bit secret key. The
 * authority uses it to ship hashed snapshots (feed.proto's HashedEntries), a validator to look ids up; both must
 * compute exactly this function, so it lives here, once.
 *
 * <p>Why hash at all: a revoked entry must cost at most 64 bytes of a validator's heap and about 10 bytes of a
 * snapshot on the wire, and a {@code String} alone costs ~70. Why SipHash with a secret key: it is a PRF, so nobody
 * who does not hold the key can choose two ids that collide (e.g. a user id that collides with someone else's to deny
 * their tokens); the key is random per snapshot and known only to the feed's subscribers. Why a collision is
 * acceptable at all: it can only ever deny a token, never accept one, and with n = 1,000,000 stored ids the chance
 * that a given live id matches one of them is n / 2^64 ~= 5.4e-14 per lookup.
 *
 * <p>Zero and one are reserved (a table's empty and deleted slot); hashes that land on them are remapped by XOR with
 * {@value #REMAP}, which raises the collision chance of those two values only, negligibly.
 */
public final class IdHasher {

    /** The key length in bytes: k0 then k1, each little-endian. */
    public static final int KEY_BYTES = 16;
    /** Hashed under a snapshot's key to prove both sides compute the same function (SnapshotBegin.id_hash_check). */
    public static final String CHECK_ID = "tokenauthority.v1.id_hash_check";
    /** XORed into a hash that would be 0 or 1. */
    public static final long REMAP = 0x9E3779B97F4A7C15L;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final long k0;
    private final long k1;

    /** A hasher under {@code k0} and {@code k1}; for tests and test vectors. */
    public IdHasher(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
    }

    /** A hasher under a fresh random key. */
    public static IdHasher random() {
        return new IdHasher(RANDOM.nextLong(), RANDOM.nextLong());
    }

    /**
     * The hasher under a key as {@link #key()} encodes it.
     *
     * @throws IllegalArgumentException if the key is not {@value #KEY_BYTES} bytes
     */
    public static IdHasher fromKey(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("an id hash key has " + KEY_BYTES + " bytes, not " + key.length);
        }
        return new IdHasher(littleEndian(key, 0), littleEndian(key, 8));
    }

    /** This hasher's key: k0 then k1, each little-endian. */
    public byte[] key() {
        byte[] key = new byte[KEY_BYTES];
        for (int i = 0; i < 8; i++) {
            key[i] = (byte) (k0 >>> (8 * i));
            key[8 + i] = (byte) (k1 >>> (8 * i));
        }
        return key;
    }

    private static long littleEndian(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = value << 8 | (bytes[offset + i] & 0xFF);
        }
        return value;
    }

    /** SipHash-2-4 of the UTF-16LE encoding of {@code id}, remapped away from the reserved keys 0 and 1. */
    public long hash(String id) {
        long hash = sipHash24(id);
        return hash == 0 || hash == 1 ? hash ^ REMAP : hash;
    }

    private long sipHash24(String id) {
        long v0 = k0 ^ 0x736f6d6570736575L;
        long v1 = k1 ^ 0x646f72616e646f6dL;
        long v2 = k0 ^ 0x6c7967656e657261L;
        long v3 = k1 ^ 0x7465646279746573L;
        int length = id.length();
        int i = 0;
        // Four UTF-16 code units make one little-endian 64-bit message word, without encoding to a byte array.
        for (int end = length & ~3; i < end; i += 4) {
            long m = id.charAt(i) | (long) id.charAt(i + 1) << 16 | (long) id.charAt(i + 2) << 32
                    | (long) id.charAt(i + 3) << 48;
            v3 ^= m;
            for (int round = 0; round < 2; round++) {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }
        long last = (long) (length * 2 & 0xFF) << 56;
        for (int shift = 0; i < length; i++, shift += 16) {
            last |= (long) id.charAt(i) << shift;
        }
        v3 ^= last;
        for (int round = 0; round < 2; round++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        v0 ^= last;
        v2 ^= 0xFF;
        for (int round = 0; round < 4; round++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
