package dev.tokenauthority.authority.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.authority.keys.KeyEncryptionKey;
import dev.tokenauthority.authority.keys.KeyEncryptionKeys;
import dev.tokenauthority.authority.storage.Database;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.cli.StartupRefusal;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command line's entry point ({@code AuthorityMain}) refusing to start: the message alone, naming
 * what is wrong and what to do, and a non-zero exit code; and the offline {@code rewrap-keys}.
 */
class StartupRefusalTest {

    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = AuthorityMain.commandLine(Map.of())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        int exitCode = cli.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private static void assertRefused(Run run, String... mentions) {
        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isEqualTo(StartupRefusal.EXIT_CODE);
        assertThat(run.err()).contains(mentions).doesNotContain("Exception", "\tat ");
    }

    private record Created(String kid, KeyEncryptionKey kek) {}

    /** The embedded database in {@code dataDir}, as an authority left it: its key sealed under the KEK returned. */
    private static Created createDatabase(Path dataDir) throws Exception {
        try (AuthorityFixture first = new AuthorityFixture(TestDatabase.h2File(dataDir), Database::open)) {
            return new Created(first.authority.signingKeys().current().kid(), first.keks.primary());
        }
    }

    private Path kekFile(String name, KeyEncryptionKey kek) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, Base64.getEncoder().encodeToString(kek.material()) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    @Test
    void aFeedOnlyReplicaOnTheEmbeddedDatabaseIsRefusedAskingForAStandbysUrl() {
        Run run = run("serve", "--feed-only", "--data-dir", dir.resolve("data").toString(), "--grpc-port", "0",
                "--web-port", "0");

        assertRefused(run, "--feed-only", "jdbc:postgresql://");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void aFeedOnlyReplicaOnADatabaseNeverMigratedIsRefusedWithoutMigratingIt() throws Exception {
        try (TestDatabase database = TestDatabase.postgres()) {
            Run run = run("serve", "--feed-only", "--db-url", database.url(), "--db-user", database.user(),
                    "--data-dir", dir.resolve("data").toString(), "--grpc-port", "0", "--web-port", "0",
                    "--key-encryption-key-file", kekFile("feed-only.kek", KeyEncryptionKey.generate()).toString());

            assertRefused(run, "schema is at version none", "runs no migrations");
            try (Connection c = DriverManager.getConnection(database.url(), database.user(), database.password());
                    ResultSet tables = c.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
                assertThat(tables.next()).as("a table the refused replica created").isFalse();
            }
        }
    }

    @Test
    void aDatabaseWhoseKeysNoConfiguredKekOpensIsRefusedNamingTheKidAndTheKeksTried() throws Exception {
        Path dataDir = dir.resolve("data");
        Created created = createDatabase(dataDir);
        String kid = created.kid();
        KeyEncryptionKey sealing = created.kek();
        KeyEncryptionKey wrong = KeyEncryptionKey.generate();

        Run run = run("serve", "--data-dir", dataDir.toString(), "--db-user", "sa", "--grpc-port", "0",
                "--web-port", "0", "--key-encryption-key-file", kekFile("wrong.kek", wrong).toString());

        assertRefused(run, "signing key " + kid, "sealed by key-encryption key " + sealing.id(), "tried " + wrong.id());
    }

    @Test
    void aPostgresqlOrOutsideH2DatabaseWithoutAKekIsRefusedNamingTheFlag() {
        for (String url : List.of("jdbc:postgresql://127.0.0.1:5432/authority?password=hunter2",
                "jdbc:h2:file:" + dir.resolve("elsewhere/authority"))) {
            Run run = run("serve", "--data-dir", dir.resolve("data").toString(), "--db-url", url,
                    "--grpc-port", "0", "--web-port", "0");

            assertRefused(run, "--key-encryption-key-file", "TOKENAUTHORITY_KEY_ENCRYPTION_KEY_FILE");
            assertThat(run.err()).doesNotContain("hunter2");
        }
    }

    @Test
    void aKekFileOpenToOtherUsersOrMalformedIsRefusedWithoutShowingItsContent() throws Exception {
        Path open = kekFile("open.kek", KeyEncryptionKey.generate());
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        Path shortKey = dir.resolve("short.kek");
        Files.writeString(shortKey, Base64.getEncoder().encodeToString(new byte[16]));
        Path notBase64 = dir.resolve("text.kek");
        Files.writeString(notBase64, "correct horse battery staple");
        for (Path file : List.of(shortKey, notBase64)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        List<String> serve = List.of("serve", "--data-dir", dir.resolve("data").toString(), "--grpc-port", "0",
                "--web-port", "0", "--key-encryption-key-file");

        assertRefused(run(with(serve, open)), open.toString(), "open to other users", "rw-r--r--", "chmod 600");
        assertRefused(run(with(serve, shortKey)), shortKey.toString(), "holds 16 bytes", "32 random bytes in base64");
        Run text = run(with(serve, notBase64));
        assertRefused(text, notBase64.toString(), "not base64");
        assertThat(text.err()).doesNotContain("horse");
    }

    @Test
    void rewrapKeysReencryptsOfflineUnderTheFirstKekSoItAloneOpensThem() throws Exception {
        Path dataDir = dir.resolve("data");
        Created created = createDatabase(dataDir);
        String kid = created.kid();
        KeyEncryptionKey oldKek = created.kek();
        KeyEncryptionKey newKek = KeyEncryptionKey.generate();
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("authority");

        assertRefused(run("rewrap-keys", "--data-dir", dataDir.toString(), "--db-url", url),
                "--key-encryption-key-file NEW,OLD");
        Run run = run("rewrap-keys", "--data-dir", dataDir.toString(), "--db-url", url, "--db-user", "sa",
                "--key-encryption-key-file",
                kekFile("new.kek", newKek) + "," + kekFile("old.kek", oldKek));

        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).contains("re-encrypted 2 keys (signing keys and the refresh successor key)", newKek.id());
        TestDatabase database = TestDatabase.h2File(dataDir);
        try (AuthorityFixture onlyNew = AuthorityFixture.reopen(database, KeyEncryptionKeys.of(newKek))) {
            assertThat(onlyNew.authority.signingKeys().current().kid()).isEqualTo(kid);
        }
        Run oldOnly = run("serve", "--data-dir", dataDir.toString(), "--db-user", "sa", "--grpc-port", "0",
                "--web-port", "0",
                "--key-encryption-key-file", dir.resolve("old.kek").toString());
        assertRefused(oldOnly, "signing key " + kid, "sealed by key-encryption key " + newKek.id());
    }

    private static String[] with(List<String> args, Path last) {
        List<String> all = new ArrayList<>(args);
        all.add(last.toString());
        return all.toArray(String[]::new);
    }
}
