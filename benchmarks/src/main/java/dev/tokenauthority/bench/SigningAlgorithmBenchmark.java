package dev.tokenauthority.bench;

import static dev.tokenauthority.bench.JwsSigningInput.sha256;
import static dev.tokenauthority.bench.JwsSigningInput.sign;
import static dev.tokenauthority.bench.JwsSigningInput.verify;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.jose4j.jca.ProviderContext;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Chooses the JWT signing algorithm and JCA provider for the token authority: the cost of
 * one signature and one verification of a typical JWS signing input
 * ({@code BASE64URL(header) "." BASE64URL(payload)}, 365 bytes, see {@link JwsSigningInput}).
 *
 * <p>Measured, single-threaded, average time per operation in microseconds:
 * <ul>
 *   <li>RS256: RSA 2048 / SHA256withRSA, JDK provider SunRsaSign.</li>
 *   <li>ES256: ECDSA P-256 / SHA-256 with the JDK (SunEC, {@code SHA256withECDSAinP1363Format},
 *       the raw R||S form JWS uses), with Bouncy Castle through JCA provider "BC"
 *       ({@code SHA256withPLAIN-ECDSA}, also raw R||S), and with BC's lightweight API
 *       ({@link ECDSASigner}, random k, over a {@code SHA256Digest} hash).</li>
 *   <li>EdDSA Ed25519 with the JDK (SunEC), with BC through JCA provider "BC", and with BC's
 *       lightweight {@link Ed25519Signer}.</li>
 *   <li>jose4j 0.9.7 end to end for EdDSA: {@link JsonWebSignature#getCompactSerialization()}
 *       (header + claims JSON, base64url, sign) and {@link JwtConsumer#processToClaims(String)}
 *       (parse, verify, claims validation; {@link Jose4jEdDsa}), once with the JDK default provider and once with
 *       "BC" chosen through {@link ProviderContext}
 *       ({@code ctx.getSuppliedKeyProviderContext().setSignatureProvider("BC")}).</li>
 * </ul>
 * The raw JCA benchmarks keep one initialised {@link Signature} per thread (its state resets
 * after {@code sign()}/{@code verify()}), so they measure the crypto alone; jose4j calls
 * {@code Signature.getInstance} and {@code init*} on every operation, which is part of the
 * overhead it adds. Every variant signs with keys its own provider generated (the jose4j "BC"
 * variants with the BC Ed25519 key pair, which on Java 15+ implements
 * {@code java.security.interfaces.EdECPrivateKey} as jose4j requires, provided the jar keeps
 * {@code Multi-Release: true}); the {@code bcWithJdkKey} variants route SunEC-generated keys
 * (what {@code KeyPairGenerator.getInstance("Ed25519")} returns while BC is not the first
 * provider) through "BC", which then has to convert the key on every {@code init*}.
 *
 * <p>Run from the repository root:
 * <pre>
 * mvn -B -q -DskipTests package &amp;&amp; java -jar benchmarks/target/benchmarks.jar SigningAlgorithmBenchmark -f 1 -wi 3 -i 5
 * </pre>
 * Warm-up and measurement iterations last 2 s each (annotations below); the results and the
 * decision taken from them are in {@code docs/signing-algorithm.md}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(1)
@State(Scope.Thread)
public class SigningAlgorithmBenchmark {

    static final String BC = BouncyCastleProvider.PROVIDER_NAME;

    static {
        if (Security.getProvider(BC) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
    }

    // --- JCA signers / verifiers, initialised once per thread ---------------------------------
    private Signature rs256JdkSign, rs256JdkVerify;
    private byte[] rs256JdkSig;
    private Signature es256JdkSign, es256JdkVerify;
    private byte[] es256JdkSig;
    private Signature es256BcSign, es256BcVerify;
    private byte[] es256BcSig;
    private Signature ed25519JdkSign, ed25519JdkVerify;
    private byte[] ed25519JdkSig;
    private Signature ed25519BcSign, ed25519BcVerify;
    private byte[] ed25519BcSig;

    // --- BC lightweight API ----------------------------------------------------------------------
    private ECDSASigner es256LwSign, es256LwVerify;
    private BigInteger[] es256LwSig;
    private Ed25519Signer ed25519LwSign, ed25519LwVerify;
    private byte[] ed25519LwSig;

    // --- jose4j --------------------------------------------------------------------------------
    private KeyPair joseKeysJdk, joseKeysBc;
    private ProviderContext bcContext;
    private JwtConsumer joseConsumerJdk, joseConsumerBc, joseConsumerBcJdkKey;
    private String joseTokenJdk, joseTokenBc;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        SecureRandom random = new SecureRandom();

        KeyPair rsa = SigningKeys.rsa2048(random);
        rs256JdkSign = SigningKeys.signer("SHA256withRSA", "SunRsaSign", rsa.getPrivate(), random);
        rs256JdkVerify = SigningKeys.verifier("SHA256withRSA", "SunRsaSign", rsa.getPublic());
        rs256JdkSig = sign(rs256JdkSign);

        KeyPair ecJdk = SigningKeys.p256("SunEC", random);
        es256JdkSign = SigningKeys.signer("SHA256withECDSAinP1363Format", "SunEC", ecJdk.getPrivate(), random);
        es256JdkVerify = SigningKeys.verifier("SHA256withECDSAinP1363Format", "SunEC", ecJdk.getPublic());
        es256JdkSig = sign(es256JdkSign);

        KeyPair ecBc = SigningKeys.p256(BC, random);
        es256BcSign = SigningKeys.signer("SHA256withPLAIN-ECDSA", BC, ecBc.getPrivate(), random);
        es256BcVerify = SigningKeys.verifier("SHA256withPLAIN-ECDSA", BC, ecBc.getPublic());
        es256BcSig = sign(es256BcSign);

        KeyPair edJdk = SigningKeys.ed25519("SunEC");
        ed25519JdkSign = SigningKeys.signer("Ed25519", "SunEC", edJdk.getPrivate(), null);
        ed25519JdkVerify = SigningKeys.verifier("Ed25519", "SunEC", edJdk.getPublic());
        ed25519JdkSig = sign(ed25519JdkSign);

        KeyPair edBc = SigningKeys.ed25519(BC);
        ed25519BcSign = SigningKeys.signer("Ed25519", BC, edBc.getPrivate(), null);
        ed25519BcVerify = SigningKeys.verifier("Ed25519", BC, edBc.getPublic());
        ed25519BcSig = sign(ed25519BcSign);

        AsymmetricCipherKeyPair ecLw = SigningKeys.bcLightweightP256(random);
        es256LwSign = new ECDSASigner();
        es256LwSign.init(true, new ParametersWithRandom((ECPrivateKeyParameters) ecLw.getPrivate(), random));
        es256LwVerify = new ECDSASigner();
        es256LwVerify.init(false, (ECPublicKeyParameters) ecLw.getPublic());
        es256LwSig = es256LwSign.generateSignature(sha256());

        Ed25519PrivateKeyParameters edLwPriv = new Ed25519PrivateKeyParameters(random);
        Ed25519PublicKeyParameters edLwPub = edLwPriv.generatePublicKey();
        ed25519LwSign = new Ed25519Signer();
        ed25519LwSign.init(true, edLwPriv);
        ed25519LwVerify = new Ed25519Signer();
        ed25519LwVerify.init(false, edLwPub);
        ed25519LwSign.update(JwsSigningInput.BYTES, 0, JwsSigningInput.BYTES.length);
        ed25519LwSig = ed25519LwSign.generateSignature();

        joseKeysJdk = edJdk;
        joseKeysBc = edBc;
        bcContext = new ProviderContext();
        bcContext.getSuppliedKeyProviderContext().setSignatureProvider(BC);
        joseConsumerJdk = Jose4jEdDsa.consumer(joseKeysJdk, null);
        joseConsumerBc = Jose4jEdDsa.consumer(joseKeysBc, bcContext);
        joseTokenJdk = Jose4jEdDsa.sign(joseKeysJdk, null);
        joseTokenBc = Jose4jEdDsa.sign(joseKeysBc, bcContext);
        joseConsumerBcJdkKey = Jose4jEdDsa.consumer(joseKeysJdk, bcContext);
        joseConsumerJdk.processToClaims(joseTokenJdk);
        joseConsumerBc.processToClaims(joseTokenBc);
        joseConsumerBcJdkKey.processToClaims(joseTokenJdk);
        check(Jose4jEdDsa.sign(joseKeysJdk, bcContext).equals(joseTokenJdk)); // Ed25519 is deterministic
        check(verify(rs256JdkVerify, rs256JdkSig) && verify(es256JdkVerify, es256JdkSig)
                && verify(es256BcVerify, es256BcSig) && verify(ed25519JdkVerify, ed25519JdkSig)
                && verify(ed25519BcVerify, ed25519BcSig) && es256LightweightVerify() && ed25519LightweightVerify());
    }

    private static void check(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("a signature did not verify");
        }
    }

    // ==== RS256 ====================================================================================

    @Benchmark
    public byte[] rs256_jdk_sign() throws Exception {
        return sign(rs256JdkSign);
    }

    @Benchmark
    public boolean rs256_jdk_verify() throws Exception {
        return verify(rs256JdkVerify, rs256JdkSig);
    }

    // ==== ES256 ====================================================================================

    @Benchmark
    public byte[] es256_jdk_sign() throws Exception {
        return sign(es256JdkSign);
    }

    @Benchmark
    public boolean es256_jdk_verify() throws Exception {
        return verify(es256JdkVerify, es256JdkSig);
    }

    @Benchmark
    public byte[] es256_bcJca_sign() throws Exception {
        return sign(es256BcSign);
    }

    @Benchmark
    public boolean es256_bcJca_verify() throws Exception {
        return verify(es256BcVerify, es256BcSig);
    }

    @Benchmark
    public BigInteger[] es256_bcLightweight_sign() {
        return es256LwSign.generateSignature(sha256());
    }

    @Benchmark
    public boolean es256_bcLightweight_verify() {
        return es256LightweightVerify();
    }

    private boolean es256LightweightVerify() {
        return es256LwVerify.verifySignature(sha256(), es256LwSig[0], es256LwSig[1]);
    }

    // ==== EdDSA Ed25519 ============================================================================

    @Benchmark
    public byte[] ed25519_jdk_sign() throws Exception {
        return sign(ed25519JdkSign);
    }

    @Benchmark
    public boolean ed25519_jdk_verify() throws Exception {
        return verify(ed25519JdkVerify, ed25519JdkSig);
    }

    @Benchmark
    public byte[] ed25519_bcJca_sign() throws Exception {
        return sign(ed25519BcSign);
    }

    @Benchmark
    public boolean ed25519_bcJca_verify() throws Exception {
        return verify(ed25519BcVerify, ed25519BcSig);
    }

    @Benchmark
    public byte[] ed25519_bcLightweight_sign() throws Exception {
        ed25519LwSign.update(JwsSigningInput.BYTES, 0, JwsSigningInput.BYTES.length);
        return ed25519LwSign.generateSignature();
    }

    @Benchmark
    public boolean ed25519_bcLightweight_verify() {
        return ed25519LightweightVerify();
    }

    private boolean ed25519LightweightVerify() {
        ed25519LwVerify.update(JwsSigningInput.BYTES, 0, JwsSigningInput.BYTES.length);
        return ed25519LwVerify.verifySignature(ed25519LwSig);
    }

    // ==== jose4j EdDSA end to end ==================================================================

    @Benchmark
    public String jose4j_ed25519_jdk_sign() throws Exception {
        return Jose4jEdDsa.sign(joseKeysJdk, null);
    }

    @Benchmark
    public JwtClaims jose4j_ed25519_jdk_verify() throws Exception {
        return joseConsumerJdk.processToClaims(joseTokenJdk);
    }

    @Benchmark
    public String jose4j_ed25519_bc_sign() throws Exception {
        return Jose4jEdDsa.sign(joseKeysBc, bcContext);
    }

    @Benchmark
    public JwtClaims jose4j_ed25519_bc_verify() throws Exception {
        return joseConsumerBc.processToClaims(joseTokenBc);
    }

    /** "BC" as signature provider but a SunEC-generated key, as with {@code KeyPairGenerator.getInstance("Ed25519")}. */
    @Benchmark
    public String jose4j_ed25519_bcWithJdkKey_sign() throws Exception {
        return Jose4jEdDsa.sign(joseKeysJdk, bcContext);
    }

    @Benchmark
    public JwtClaims jose4j_ed25519_bcWithJdkKey_verify() throws Exception {
        return joseConsumerBcJdkKey.processToClaims(joseTokenJdk);
    }
}
