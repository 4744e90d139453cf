package dev.tokenauthority.authority.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashing with Argon2id (RFC 9106), encoded in the PHC string format
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}. The default cost follows OWASP's
 * password storage guidance (19 MiB, 2 passes, 1 lane); the encoded parameters travel with each
 * hash, so raising the cost later keeps old hashes verifiable.
 *
 * <p>Not final: the throttle's tests count how many verifications (the work an attacker makes
 * the authority do) happen, by overriding {@link #verify}.
 */
public class PasswordHasher {

    /** OWASP's recommended minimum for Argon2id: 19 MiB of memory. */
    public static final int DEFAULT_MEMORY_KIB = 19 * 1024;
    /** OWASP's recommended minimum for Argon2id: 2 iterations. */
    public static final int DEFAULT_ITERATIONS = 2;

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getDecoder();

    private final int memoryKib;
    private final int iterations;
    /** A hash of a random password, verified against when the user does not exist, so timing reveals nothing. */
    private final String decoy;

    public PasswordHasher() {
        this(DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS);
    }

    public PasswordHasher(int memoryKib, int iterations) {
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.decoy = hash(Secrets.randomBase64Url(16));
    }

    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = derive(password, salt, memoryKib, iterations, 1);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=1$"
                + ENCODER.encodeToString(salt) + "$" + ENCODER.encodeToString(hash);
    }

    /** Whether the password matches; a null or unparsable stored hash is checked against a decoy. */
    public boolean verify(String password, String storedHash) {
        String candidate = storedHash == null ? decoy : storedHash;
        try {
            String[] parts = candidate.split("\\$");
            if (parts.length != 6 || !parts[1].equals("argon2id")) {
                throw new IllegalArgumentException("not an argon2id PHC string");
            }
            String[] params = parts[3].split(",");
            int m = Integer.parseInt(params[0].substring(2));
            int t = Integer.parseInt(params[1].substring(2));
            int p = Integer.parseInt(params[2].substring(2));
            byte[] salt = DECODER.decode(parts[4]);
            byte[] expected = DECODER.decode(parts[5]);
            byte[] actual = derive(password, salt, m, t, p);
            return MessageDigest.isEqual(actual, expected) && storedHash != null;
        } catch (RuntimeException unparsable) {
            // Spend the same work as a real check (the decoy always parses), then refuse.
            verify(password, decoy);
            return false;
        }
    }

    private static byte[] derive(String password, byte[] salt, int memoryKib, int iterations, int lanes) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(lanes)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[HASH_BYTES];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
