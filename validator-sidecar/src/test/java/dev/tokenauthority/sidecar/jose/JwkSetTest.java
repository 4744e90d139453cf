package dev.tokenauthority.sidecar.jose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.sidecar.testing.Json;
import dev.tokenauthority.sidecar.testing.TestKeys;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JwkSetTest {

    private static final TestKeys.SigningKey ED = TestKeys.ed25519("ed-1");
    private static final TestKeys.SigningKey EC = TestKeys.p256("ec-1");

    @Test
    void indexesEd25519AndP256KeysByKid() {
        JwkSet keys = JwkSet.parse(TestKeys.jwks(ED, EC));

        assertThat(keys.size()).isEqualTo(2);
        assertThat(keys.find("ed-1").algorithm()).isEqualTo(JwsAlgorithm.EDDSA);
        assertThat(keys.find("ec-1").algorithm()).isEqualTo(JwsAlgorithm.ES256);
        assertThat(keys.find("nope")).isNull();
    }

    @Test
    void aNewSetKeepsTheObjectsOfUnchangedKeysOnly() {
        JwkSet previous = JwkSet.parse(TestKeys.jwks(ED, EC));
        TestKeys.SigningKey otherUnderTheSameKid = TestKeys.p256("ec-1");

        JwkSet next = JwkSet.parse(TestKeys.jwks(ED, otherUnderTheSameKid, TestKeys.ed25519("ed-2")))
                .keepingUnchanged(previous);

        assertThat(next.find("ed-1")).isSameAs(previous.find("ed-1"));
        assertThat(next.find("ec-1")).isNotSameAs(previous.find("ec-1"));
        assertThat(next.find("ed-2")).isNotNull();
        assertThat(JwkSet.parse(TestKeys.jwks(EC)).keepingUnchanged(previous).find("ed-1")).isNull();
    }

    @Test
    void skipsKeysItCannotVerifyWith() {
        Map<String, Object> rsa = Map.of("kty", "RSA", "kid", "rsa-1", "n", "AQAB", "e", "AQAB");
        Map<String, Object> oct = Map.of("kty", "oct", "kid", "hmac-1", "k", "c2VjcmV0");
        Map<String, Object> encryption = with(ED.publicJwk(), "use", "enc");
        Map<String, Object> x25519 = with(with(ED.publicJwk(), "crv", "X25519"), "kid", "x-1");

        JwkSet keys = parse(List.of(rsa, oct, encryption, x25519));

        assertThat(keys.size()).isZero();
    }

    @Test
    void rejectsAKeyWhoseAlgContradictsItsType() {
        assertRejected(List.of(with(ED.publicJwk(), "alg", "HS256")));
        assertRejected(List.of(with(EC.publicJwk(), "alg", "EdDSA")));
    }

    @Test
    void rejectsAPointThatIsNotOnTheCurve() {
        Map<String, Object> jwk = EC.publicJwk();
        jwk.put("y", jwk.get("x"));

        assertRejected(List.of(jwk));
    }

    @Test
    void rejectsCoordinatesOfTheWrongLengthOrEncoding() {
        assertRejected(List.of(with(ED.publicJwk(), "x", TestKeys.b64(new byte[31]))));
        assertRejected(List.of(with(ED.publicJwk(), "x", ED.publicJwk().get("x") + "=")));
        assertRejected(List.of(with(EC.publicJwk(), "y", 7)));
    }

    @Test
    void rejectsPrivateKeyMaterialDuplicateKidsAndKeysWithoutKid() {
        assertRejected(List.of(with(ED.publicJwk(), "d", TestKeys.b64(new byte[32]))));
        assertRejected(List.of(ED.publicJwk(), with(EC.publicJwk(), "kid", "ed-1")));
        Map<String, Object> noKid = ED.publicJwk();
        noKid.remove("kid");
        assertRejected(List.of(noKid));
    }

    @Test
    void rejectsDocumentsThatAreNotAJwkSet() {
        for (String json : List.of("", "[]", "{}", "{\"keys\":{}}", "{\"keys\":[1]}", "{\"keys\":[],\"keys\":[]}")) {
            assertThatThrownBy(() -> JwkSet.parse(json)).as(json).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(JwkSet.parse("{\"keys\":[]}").size()).isZero();
    }

    private static JwkSet parse(List<Map<String, Object>> keys) {
        return JwkSet.parse(Json.write(Map.of("keys", keys)));
    }

    private static void assertRejected(List<Map<String, Object>> keys) {
        assertThatThrownBy(() -> parse(keys)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Map<String, Object> with(Map<String, Object> jwk, String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(jwk);
        copy.put(name, value);
        return copy;
    }
}
