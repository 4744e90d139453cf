package dev.tokenauthority.sidecar.state;

import java.security.SecureRandom;

/**
 * Hashes an identifier (jti, session id, user id) to the 64-bit key the revocation tables store, with SipHash-2-4
 * (Aumasson and Bernstein, 2012) over the string's UTF-16LE code units, keyed with a random per-process key.
 *
 * <p>Why hash at all: a revoked entry must cost at most 64 bytes of heap, and a {@code String} alone costs ~70. Why
 * SipHash with a secret key: it is a PRF, so nobody outside this process can choose two ids that collide (e.g. a user
 * id that collides with someone else's to deny their tokens). Why a collision is acceptable at all: it can only ever
 * deny a token, never accept one, and with n = 1,000,000 stored ids the chance that a given live id matches one of
 * them is n / 2^64 ~= 5.4e-14 per lookup.
 *
 * <p>Zero and one are reserved by {@link HashedIdTable} (empty and deleted slot); hashes that land on them are
 * remapped, which raises the collision chance of those two values only, negligibly.
 */
public final class IdHasher {

    private static final IdHasher PROCESS = new IdHasher(new SecureRandom().nextLong(), new SecureRandom().nextLong());

    private final long k0;
    private final long k1;

    IdHasher(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
    }

    /** The table key of {@code id} under this process's SipHash key. */
    public static long hash(String id) {
        return PROCESS.sipHash(id);
    }

    /** SipHash-2-4 of the UTF-16LE encoding of {@code id}, remapped away from the reserved keys 0 and 1. */
    long sipHash(String id) {
        long hash = sipHash24(id);
        return hash == HashedIdTable.EMPTY || hash == HashedIdTable.DELETED ? hash ^ 0x9E3779B97F4A7C15L : hash;
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
