package dev.tokenauthority.bench;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.jose4j.jca.ProviderContext;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
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
 * ({@code BASE64URL(header) "." BASE64URL(payload)}, 365 bytes, see {@link #SIGNING_INPUT}).
 *
 * <p>Measured, single-threaded, average time per operation in microseconds:
 * <ul>
 *   <li>RS256: RSA 2048 / SHA256withRSA, JDK provider SunRsaSign.</li>
 *   <li>ES256: ECDSA P-256 / SHA-256 with the JDK (SunEC, {@code SHA256withECDSAinP1363Format},
 *       the raw R||S form JWS uses), with Bouncy Castle through JCA provider "BC"
 *       ({@code SHA256withPLAIN-ECDSA}, also raw R||S), and with BC's lightweight API
 *       ({@link ECDSASigner}, random k, over a {@link SHA256Digest} hash).</li>
 *   <li>EdDSA Ed25519 with the JDK (SunEC), with BC through JCA provider "BC", and with BC's
 *       lightweight {@link Ed25519Signer}.</li>
 *   <li>jose4j 0.9.7 end to end for EdDSA: {@link JsonWebSignature#getCompactSerialization()}
 *       (header + claims JSON, base64url, sign) and {@link JwtConsumer#processToClaims(String)}
 *       (parse, verify, claims validation), once with the JDK default provider and once with
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

    static final String HEADER_JSON = "{\"alg\":\"EdDSA\",\"kid\":\"ta-2025-06-01-ed25519-01\",\"typ\":\"JWT\"}";
    static final String PAYLOAD_JSON = "{\"iss\":\"https://auth.tokenauthority.dev\","
            + "\"sub\":\"user:7f3c2a9e-41d2-4b8e-9c11-5e6f7a8b9c0d\",\"aud\":\"api.tokenauthority.dev\","
            + "\"exp\":4102444800,\"iat\":1735689600,\"jti\":\"b6f1c0de-2a7e-4c55\",\"scope\":\"orders:read profile\"}";

    /** 365 bytes, the size of a typical access token's JWS signing input. */
    static final byte[] SIGNING_INPUT = (b64(HEADER_JSON) + "." + b64(PAYLOAD_JSON)).getBytes(StandardCharsets.US_ASCII);

    static {
        if (Security.getProvider(BC) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
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
    private java.math.BigInteger[] es256LwSig;
    private Ed25519Signer ed25519LwSign, ed25519LwVerify;
    private byte[] ed25519LwSig;

    // --- jose4j --------------------------------------------------------------------------------
    private KeyPair joseKeysJdk, joseKeysBc;
    private String joseClaimsJson;
    private ProviderContext bcContext;
    private JwtConsumer joseConsumerJdk, joseConsumerBc, joseConsumerBcJdkKey;
    private String joseTokenJdk, joseTokenBc;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        SecureRandom random = new SecureRandom();

        KeyPairGenerator rsaGen = KeyPairGenerator.getInstance("RSA", "SunRsaSign");
        rsaGen.initialize(2048, random);
        KeyPair rsa = rsaGen.generateKeyPair();
        rs256JdkSign = Signature.getInstance("SHA256withRSA", "SunRsaSign");
        rs256JdkSign.initSign(rsa.getPrivate(), random);
        rs256JdkVerify = Signature.getInstance("SHA256withRSA", "SunRsaSign");
        rs256JdkVerify.initVerify(rsa.getPublic());
        rs256JdkSig = sign(rs256JdkSign);

        KeyPairGenerator ecJdkGen = KeyPairGenerator.getInstance("EC", "SunEC");
        ecJdkGen.initialize(new ECGenParameterSpec("secp256r1"), random);
        KeyPair ecJdk = ecJdkGen.generateKeyPair();
        es256JdkSign = Signature.getInstance("SHA256withECDSAinP1363Format", "SunEC");
        es256JdkSign.initSign(ecJdk.getPrivate(), random);
        es256JdkVerify = Signature.getInstance("SHA256withECDSAinP1363Format", "SunEC");
        es256JdkVerify.initVerify(ecJdk.getPublic());
        es256JdkSig = sign(es256JdkSign);

        KeyPairGenerator ecBcGen = KeyPairGenerator.getInstance("EC", BC);
        ecBcGen.initialize(new ECGenParameterSpec("secp256r1"), random);
        KeyPair ecBc = ecBcGen.generateKeyPair();
        es256BcSign = Signature.getInstance("SHA256withPLAIN-ECDSA", BC);
        es256BcSign.initSign(ecBc.getPrivate(), random);
        es256BcVerify = Signature.getInstance("SHA256withPLAIN-ECDSA", BC);
        es256BcVerify.initVerify(ecBc.getPublic());
        es256BcSig = sign(es256BcSign);

        KeyPairGenerator edJdkGen = KeyPairGenerator.getInstance("Ed25519", "SunEC");
        KeyPair edJdk = edJdkGen.generateKeyPair();
        ed25519JdkSign = Signature.getInstance("Ed25519", "SunEC");
        ed25519JdkSign.initSign(edJdk.getPrivate());
        ed25519JdkVerify = Signature.getInstance("Ed25519", "SunEC");
        ed25519JdkVerify.initVerify(edJdk.getPublic());
        ed25519JdkSig = sign(ed25519JdkSign);

        KeyPairGenerator edBcGen = KeyPairGenerator.getInstance("Ed25519", BC);
        KeyPair edBc = edBcGen.generateKeyPair();
        ed25519BcSign = Signature.getInstance("Ed25519", BC);
        ed25519BcSign.initSign(edBc.getPrivate());
        ed25519BcVerify = Signature.getInstance("Ed25519", BC);
        ed25519BcVerify.initVerify(edBc.getPublic());
        ed25519BcSig = sign(ed25519BcSign);

        X9ECParameters p256 = CustomNamedCurves.getByName("secp256r1");
        ECDomainParameters domain = new ECDomainParameters(p256.getCurve(), p256.getG(), p256.getN(), p256.getH());
        ECKeyPairGenerator ecLwGen = new ECKeyPairGenerator();
        ecLwGen.init(new ECKeyGenerationParameters(domain, random));
        AsymmetricCipherKeyPair ecLw = ecLwGen.generateKeyPair();
        es256LwSign = new ECDSASigner();
        es256LwSign.init(true, new ParametersWithRandom((ECPrivateKeyParameters) ecLw.getPrivate(), random));
        es256LwVerify = new ECDSASigner();
        es256LwVerify.init(false, (ECPublicKeyParameters) ecLw.getPublic());
        es256LwSig = es256LwSign.generateSignature(sha256(SIGNING_INPUT));

        Ed25519PrivateKeyParameters edLwPriv = new Ed25519PrivateKeyParameters(random);
        Ed25519PublicKeyParameters edLwPub = edLwPriv.generatePublicKey();
        ed25519LwSign = new Ed25519Signer();
        ed25519LwSign.init(true, edLwPriv);
        ed25519LwVerify = new Ed25519Signer();
        ed25519LwVerify.init(false, edLwPub);
        ed25519LwSign.update(SIGNING_INPUT, 0, SIGNING_INPUT.length);
        ed25519LwSig = ed25519LwSign.generateSignature();

        joseKeysJdk = edJdk;
        joseKeysBc = edBc;
        joseClaimsJson = PAYLOAD_JSON;
        bcContext = new ProviderContext();
        bcContext.getSuppliedKeyProviderContext().setSignatureProvider(BC);
        joseConsumerJdk = consumer(joseKeysJdk, null);
        joseConsumerBc = consumer(joseKeysBc, bcContext);
        joseTokenJdk = joseSign(joseKeysJdk, null);
        joseTokenBc = joseSign(joseKeysBc, bcContext);
        joseConsumerBcJdkKey = consumer(joseKeysJdk, bcContext);
        joseConsumerJdk.processToClaims(joseTokenJdk);
        joseConsumerBc.processToClaims(joseTokenBc);
        joseConsumerBcJdkKey.processToClaims(joseTokenJdk);
        check(joseSign(joseKeysJdk, bcContext).equals(joseTokenJdk)); // Ed25519 is deterministic
        check(verify(rs256JdkVerify, rs256JdkSig) && verify(es256JdkVerify, es256JdkSig)
                && verify(es256BcVerify, es256BcSig) && verify(ed25519JdkVerify, ed25519JdkSig)
                && verify(ed25519BcVerify, ed25519BcSig) && es256LightweightVerify() && ed25519LightweightVerify());
    }

    private static void check(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("a signature did not verify");
        }
    }

    private static byte[] sha256(byte[] data) {
        SHA256Digest digest = new SHA256Digest();
        digest.update(data, 0, data.length);
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return out;
    }

    private static byte[] sign(Signature s) throws Exception {
        s.update(SIGNING_INPUT);
        return s.sign();
    }

    private static boolean verify(Signature s, byte[] sig) throws Exception {
        s.update(SIGNING_INPUT);
        return s.verify(sig);
    }

    private JwtConsumer consumer(KeyPair keys, ProviderContext ctx) {
        JwtConsumerBuilder b = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds(30)
                .setExpectedIssuer("https://auth.tokenauthority.dev")
                .setExpectedAudience("api.tokenauthority.dev")
                .setVerificationKey(keys.getPublic());
        if (ctx != null) {
            b.setJwsProviderContext(ctx);
        }
        return b.build();
    }

    private String joseSign(KeyPair keys, ProviderContext ctx) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(joseClaimsJson);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.EDDSA);
        jws.setKeyIdHeaderValue("ta-2025-06-01-ed25519-01");
        jws.setHeader("typ", "JWT");
        jws.setKey(keys.getPrivate());
        if (ctx != null) {
            jws.setProviderContext(ctx);
        }
        return jws.getCompactSerialization();
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
    public java.math.BigInteger[] es256_bcLightweight_sign() {
        return es256LwSign.generateSignature(sha256(SIGNING_INPUT));
    }

    @Benchmark
    public boolean es256_bcLightweight_verify() {
        return es256LightweightVerify();
    }

    private boolean es256LightweightVerify() {
        return es256LwVerify.verifySignature(sha256(SIGNING_INPUT), es256LwSig[0], es256LwSig[1]);
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
        ed25519LwSign.update(SIGNING_INPUT, 0, SIGNING_INPUT.length);
        return ed25519LwSign.generateSignature();
    }

    @Benchmark
    public boolean ed25519_bcLightweight_verify() {
        return ed25519LightweightVerify();
    }

    private boolean ed25519LightweightVerify() {
        ed25519LwVerify.update(SIGNING_INPUT, 0, SIGNING_INPUT.length);
        return ed25519LwVerify.verifySignature(ed25519LwSig);
    }

    // ==== jose4j EdDSA end to end ==================================================================

    @Benchmark
    public String jose4j_ed25519_jdk_sign() throws Exception {
        return joseSign(joseKeysJdk, null);
    }

    @Benchmark
    public JwtClaims jose4j_ed25519_jdk_verify() throws Exception {
        return joseConsumerJdk.processToClaims(joseTokenJdk);
    }

    @Benchmark
    public String jose4j_ed25519_bc_sign() throws Exception {
        return joseSign(joseKeysBc, bcContext);
    }

    @Benchmark
    public JwtClaims jose4j_ed25519_bc_verify() throws Exception {
        return joseConsumerBc.processToClaims(joseTokenBc);
    }

    /** "BC" as signature provider but a SunEC-generated key, as with {@code KeyPairGenerator.getInstance("Ed25519")}. */
    @Benchmark
    public String jose4j_ed25519_bcWithJdkKey_sign() throws Exception {
        return joseSign(joseKeysJdk, bcContext);
    }

    @Benchmark
    public JwtClaims jose4j_ed25519_bcWithJdkKey_verify() throws Exception {
        return joseConsumerBcJdkKey.processToClaims(joseTokenJdk);
    }
}
