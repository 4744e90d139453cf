package dev.tokenauthority.authority.testing;

import dev.tokenauthority.authority.keys.SigningKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** Every form a signing key's private key could take in a database column, a file or a log line. */
public final class KeyMaterial {

    private KeyMaterial() {}

    /** PKCS#8 and the raw 32-byte seed, each as base64, base64url (a JWK's "d"), lower-case hex and raw bytes. */
    public static List<String> privateKeyForms(SigningKey key) {
        List<String> forms = new ArrayList<>();
        for (byte[] bytes : List.of(key.privateKey().getEncoded(), key.signingParameters().getEncoded())) {
            forms.add(Base64.getEncoder().encodeToString(bytes));
            forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
            forms.add(HexFormat.of().formatHex(bytes));
            forms.add(new String(bytes, StandardCharsets.ISO_8859_1));
        }
        return forms;
    }
}
