package dev.tokenauthority.bench;

import com.google.protobuf.Timestamp;
import dev.tokenauthority.api.v1.FeedEvent;
import dev.tokenauthority.api.v1.RevocationEntry;
import dev.tokenauthority.api.v1.RevokedToken;
import dev.tokenauthority.api.v1.SigningKeys;
import dev.tokenauthority.sidecar.state.InMemoryRevocationState;
import dev.tokenauthority.sidecar.state.RevocationSnapshotBuilder;
import dev.tokenauthority.sidecar.validation.AcceptedAudiences;
import dev.tokenauthority.sidecar.validation.TokenValidator;
import dev.tokenauthority.sidecar.validation.ValidationDecision;
import dev.tokenauthority.sidecar.validation.ValidatorSettings;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time for the sidecar's {@link TokenValidator} to decide on one Ed25519 access token:
 * <ul>
 *   <li>{@code cacheHit}: the token was verified before, so only the time, issuer, audience, scope and revocation
 *   checks run (target: p50 at most 2 us); the token arrives as a String freshly decoded from bytes, as from a
 *   request, so the cache pays for its hash code and a full equality check ({@code cacheHitSameInstance} reuses one
 *   String and skips both, for comparison);</li>
 *   <li>{@code cacheMiss}: a validator with caching disabled, so every call parses, verifies the signature and reads
 *   the claims;</li>
 *   <li>{@code rawEd25519Verify}: Bouncy Castle's Ed25519 verification of the same token alone, the floor for a
 *   miss.</li>
 * </ul>
 * The revocation state holds 100,000 revoked jtis (none of them this token's), so the lookups probe a realistic
 * table. Mode.SampleTime reports the percentiles (p50 is the target); Mode.AverageTime the mean.
 *
 * <p>Run: {@code mvn -B -pl benchmarks -am package -DskipTests && java -jar benchmarks/target/benchmarks.jar
 * ValidationBenchmark -wi 3 -i 5 -f 1 -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ValidationBenchmark {

    private static final String ISSUER = "https://authority.example.test";
    private static final String AUDIENCE = "orders-api";
    private static final String KID = "ed-bench";
    private static final List<String> REQUIRED_SCOPES = List.of("orders:read");

    private TokenValidator cachingValidator;
    private TokenValidator nonCachingValidator;
    private String token;
    private byte[] tokenBytes;
    private Ed25519PublicKeyParameters publicKey;
    private byte[] signingInput;
    private byte[] signature;

    @Setup
    public void setUp() {
        Ed25519PrivateKeyParameters privateKey = new Ed25519PrivateKeyParameters(new SecureRandom());
        publicKey = privateKey.generatePublicKey();
        long now = Instant.now().getEpochSecond();

        String header = "{\"alg\":\"EdDSA\",\"kid\":\"" + KID + "\",\"typ\":\"at+jwt\"}";
        String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"usr_7Hq2kV9xLm3Pn8Rt1Wz4Yb\",\"aud\":\"" + AUDIENCE
                + "\",\"exp\":" + (now + 900) + ",\"iat\":" + now + ",\"iat_us\":" + now * 1_000_000
                + ",\"jti\":\"at_Q1w2E3r4T5y6U7i8O9p0Aa\",\"client_id\":\"cli_orders_frontend\","
                + "\"scope\":\"orders:read orders:write profile\",\"sid\":\"ses_Z9x8C7v6B5n4M3l2K1j0Hh\"}";
        String input = b64(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64(claims.getBytes(StandardCharsets.UTF_8));
        signingInput = input.getBytes(StandardCharsets.US_ASCII);
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(signingInput, 0, signingInput.length);
        signature = signer.generateSignature();
        token = input + "." + b64(signature);
        tokenBytes = token.getBytes(StandardCharsets.US_ASCII);

        InMemoryRevocationState state = new InMemoryRevocationState();
        RevocationSnapshotBuilder snapshot = new RevocationSnapshotBuilder(1, 100_000);
        Timestamp expiry = Timestamp.newBuilder().setSeconds(now + 3_600).build();
        for (int i = 0; i < 100_000; i++) {
            snapshot.add(RevocationEntry.newBuilder()
                    .setRevokedToken(RevokedToken.newBuilder().setJti("at_revoked_" + i).setExpiresAt(expiry))
                    .build());
        }
        state.applySnapshot(snapshot);
        String jwks = "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"" + KID + "\",\"use\":\"sig\","
                + "\"alg\":\"EdDSA\",\"x\":\"" + b64(publicKey.getEncoded()) + "\"}]}";
        state.apply(FeedEvent.newBuilder().setSequence(2)
                .setEntry(RevocationEntry.newBuilder().setSigningKeys(SigningKeys.newBuilder().setJwksJson(jwks)))
                .build());

        ValidatorSettings settings = ValidatorSettings.forIssuer(ISSUER, AcceptedAudiences.anyOf(AUDIENCE));
        cachingValidator = new TokenValidator(settings, state, Clock.systemUTC());
        nonCachingValidator = new TokenValidator(settings.withCacheCapacity(0), state, Clock.systemUTC());
        if (!cachingValidator.validate(token, AUDIENCE, REQUIRED_SCOPES).valid()
                || !nonCachingValidator.validate(token, AUDIENCE, REQUIRED_SCOPES).valid()) {
            throw new IllegalStateException("benchmark token is not valid");
        }
    }

    /**
     * A new String decoded from bytes per call, as each request delivers one, so the cache computes its hash code
     * and compares it in full. Includes the decoding (~600 bytes) that the gRPC layer would pay anyway.
     */
    @Benchmark
    public ValidationDecision cacheHit() {
        return cachingValidator.validate(new String(tokenBytes, StandardCharsets.US_ASCII), AUDIENCE, REQUIRED_SCOPES);
    }

    /** The same String instance every call: hash code cached, equality by reference; the lower bound of a hit. */
    @Benchmark
    public ValidationDecision cacheHitSameInstance() {
        return cachingValidator.validate(token, AUDIENCE, REQUIRED_SCOPES);
    }

    @Benchmark
    public ValidationDecision cacheMiss() {
        return nonCachingValidator.validate(token, AUDIENCE, REQUIRED_SCOPES);
    }

    @Benchmark
    public boolean rawEd25519Verify() {
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, publicKey);
        verifier.update(signingInput, 0, signingInput.length);
        return verifier.verifySignature(signature);
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
