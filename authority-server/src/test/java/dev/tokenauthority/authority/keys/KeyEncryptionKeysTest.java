package dev.tokenauthority.authority.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** AES-256-GCM sealing of private signing keys: the first KEK seals, all open, a ciphertext is bound to its row. */
class KeyEncryptionKeysTest {

    private static final byte[] PRIVATE_KEY = "a PKCS#8 private key, 48 bytes long, give or take"
            .getBytes(StandardCharsets.US_ASCII);
    private final KeyEncryptionKey a = KeyEncryptionKey.generate();
    private final KeyEncryptionKey b = KeyEncryptionKey.generate();

    @Test
    void theFirstKeySealsAndEveryConfiguredKeyOpens() {
        KeyEncryptionKeys.Sealed underA = KeyEncryptionKeys.of(a).seal("kid-1", PRIVATE_KEY);
        KeyEncryptionKeys rotated = KeyEncryptionKeys.of(b, a);

        assertThat(underA.kekId()).isEqualTo(a.id());
        assertThat(rotated.open("kid-1", underA)).isEqualTo(PRIVATE_KEY);
        assertThat(rotated.seal("kid-1", PRIVATE_KEY).kekId()).isEqualTo(b.id());
    }

    @Test
    void eachSealingUsesAFreshNonceAndTheCiphertextShowsNothingOfTheKey() {
        KeyEncryptionKeys keks = KeyEncryptionKeys.of(a);
        String first = keks.seal("kid-1", PRIVATE_KEY).ciphertext();
        String second = keks.seal("kid-1", PRIVATE_KEY).ciphertext();

        assertThat(first).isNotEqualTo(second);
        assertThat(Base64.getDecoder().decode(first)).hasSize(12 + PRIVATE_KEY.length + 16);
        assertThat(new String(Base64.getDecoder().decode(first), StandardCharsets.ISO_8859_1))
                .doesNotContain("PKCS#8");
    }

    @Test
    void aCiphertextPresentedForAnotherKidFailsAuthentication() {
        KeyEncryptionKeys keks = KeyEncryptionKeys.of(a);
        KeyEncryptionKeys.Sealed sealed = keks.seal("kid-1", PRIVATE_KEY);

        assertThatThrownBy(() -> keks.open("kid-2", sealed))
                .isInstanceOf(KeyEncryptionException.class)
                .hasMessageContaining("kid-2").hasMessageContaining(a.id()).hasMessageContaining("fails authentication");
    }

    @Test
    void aCiphertextRelabelledWithAnotherConfiguredKekFailsAuthentication() {
        KeyEncryptionKeys.Sealed underA = KeyEncryptionKeys.of(a).seal("kid-1", PRIVATE_KEY);
        // Same bytes, now claimed to be sealed by b: even were a's and b's keys alike, the id is authenticated.
        KeyEncryptionKeys.Sealed relabelled = new KeyEncryptionKeys.Sealed(b.id(), underA.ciphertext());

        assertThatThrownBy(() -> KeyEncryptionKeys.of(b, a).open("kid-1", relabelled))
                .isInstanceOf(KeyEncryptionException.class).hasMessageContaining("fails authentication");
    }

    @Test
    void aKeySealedByAnUnconfiguredKekNamesTheKidItsKekAndTheKeksTried() {
        KeyEncryptionKeys.Sealed underA = KeyEncryptionKeys.of(a).seal("kid-1", PRIVATE_KEY);

        assertThatThrownBy(() -> KeyEncryptionKeys.of(b).open("kid-1", underA))
                .isInstanceOf(KeyEncryptionException.class)
                .hasMessageContaining("signing key kid-1 is sealed by key-encryption key " + a.id())
                .hasMessageContaining("tried " + b.id())
                .hasMessageContaining("--key-encryption-key-file");
    }

    @Test
    void theKekIdIsStableAndRevealsNoKeyBytes() {
        KeyEncryptionKey again = KeyEncryptionKey.of(a.material());

        assertThat(again.id()).isEqualTo(a.id()).matches("kek-[0-9a-f]{16}").isNotEqualTo(b.id());
        assertThat(a.toString()).isEqualTo(a.id());
        assertThat(a.id()).doesNotContain(Base64.getEncoder().encodeToString(a.material()).substring(0, 8));
    }
}
