package dev.tokenauthority.authority.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysAtRestH2Test extends SigningKeysAtRestContract {

    @TempDir
    Path dir;

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }

    /** What a copy of the embedded database's file would give away: no form of the private key. */
    @Test
    void theH2DatabaseFileHoldsNoPrivateKeyBytes() throws Exception {
        SigningKey key;
        try (AuthorityFixture fx = new AuthorityFixture(TestDatabase.h2File(dir),
                dev.tokenauthority.authority.storage.Database::open)) {
            fx.login(AuthorityFixture.ALICE);
            key = fx.authority.signingKeys().current();
        }
        byte[] file = Files.readAllBytes(dir.resolve("authority.mv.db"));

        assertThat(file.length).isGreaterThan(0);
        assertNoPrivateKeyIn(new String(file, StandardCharsets.ISO_8859_1), key);
    }
}
