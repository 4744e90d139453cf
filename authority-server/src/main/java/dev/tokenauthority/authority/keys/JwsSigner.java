package dev.tokenauthority.authority.keys;

import dev.tokenauthority.authority.JsonStrings;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Signs a JWT (JWS compact serialization, RFC 7515 section 7.1) with the current signing key,
 * naming it by {@code kid} so a verifier finds it in the JWK set. What is signed differs by its
 * {@code typ}: access tokens ({@code at+jwt}, RFC 9068) and Security Event Tokens
 * ({@code secevent+jwt}, RFC 8417 section 2.3), so both go through this one signer.
 */
public final class JwsSigner {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SigningKeys keys;

    public JwsSigner(SigningKeys keys) {
        this.keys = keys;
    }

    /** The compact JWS of {@code claimsJson}, header {@code alg EdDSA}, the current key's {@code kid}, {@code typ}. */
    public String sign(String typ, String claimsJson) {
        SigningKey key = keys.current();
        String header = "{\"alg\":\"EdDSA\",\"kid\":" + JsonStrings.quote(key.kid()) + ",\"typ\":"
                + JsonStrings.quote(typ) + "}";
        String signingInput = BASE64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + BASE64URL.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8));
        byte[] input = signingInput.getBytes(StandardCharsets.US_ASCII);
        // Bouncy Castle's Ed25519 directly: the key's parameters are parsed once and cache the public
        // key, where the JCA path re-derives it (a second scalar multiplication) on every signature.
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key.signingParameters());
        signer.update(input, 0, input.length);
        return signingInput + "." + BASE64URL.encodeToString(signer.generateSignature());
    }
}
