package dev.tokenauthority.authority.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Argon2id at OWASP's cost, in the PHC string format, with the parameters carried by each hash. */
class PasswordHasherTest {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String PHC_ARGON2ID_DEFAULT_COST =
            "\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}";

    private final PasswordHasher hasher = new PasswordHasher();

    @Test
    void theDefaultCostHashIsArgon2idInPhcFormatWithOwaspParameters() {
        assertThat(hasher.hash(PASSWORD)).matches(PHC_ARGON2ID_DEFAULT_COST);
    }

    @Test
    void theRightPasswordVerifiesAndAWrongOneDoesNot() {
        String hash = hasher.hash(PASSWORD);

        assertThat(hasher.verify(PASSWORD, hash)).isTrue();
        assertThat(hasher.verify(PASSWORD + " ", hash)).isFalse();
        assertThat(hasher.verify("Correct horse battery staple", hash)).isFalse();
        assertThat(hasher.verify("", hash)).isFalse();
    }

    @Test
    void twoHashesOfOnePasswordDifferBecauseEachHasItsOwnSalt() {
        String first = hasher.hash(PASSWORD);
        String second = hasher.hash(PASSWORD);

        assertThat(first).isNotEqualTo(second);
        assertThat(first.split("\\$")[4]).isNotEqualTo(second.split("\\$")[4]);
        assertThat(hasher.verify(PASSWORD, first)).isTrue();
        assertThat(hasher.verify(PASSWORD, second)).isTrue();
    }

    @Test
    void aHashMadeWithOtherParametersStillVerifiesBecauseTheParametersTravelWithIt() {
        String cheap = new PasswordHasher(1024, 1).hash(PASSWORD);

        assertThat(cheap).startsWith("$argon2id$v=19$m=1024,t=1,p=1$");
        assertThat(hasher.verify(PASSWORD, cheap)).isTrue();
        assertThat(hasher.verify("wrong", cheap)).isFalse();
    }

    @Test
    void aMissingOrUnparsableStoredHashNeverVerifies() {
        assertThat(hasher.verify(PASSWORD, null)).isFalse();
        assertThat(hasher.verify(PASSWORD, "not-a-hash")).isFalse();
        assertThat(hasher.verify(PASSWORD, "$2a$10$abcdefghijklmnopqrstuv")).isFalse();
    }
}
