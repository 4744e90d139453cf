package dev.tokenauthority.sidecar.process;

import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_SESSION_REVOKED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.sidecar.process.LoopbackCluster.AuthorityNode;
import dev.tokenauthority.sidecar.process.LoopbackCluster.SidecarNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The revocation log goes back under a sidecar: the authority's database is restored from a
 * backup taken before the sidecar's position, and then new revocations take the lost sequence
 * numbers again. The sidecar was paused (SIGSTOP) across the restore, as a sidecar on a busy or
 * suspended host would be; when it comes back and resumes from its position, the authority must
 * see that the position belongs to a log that no longer exists and send a snapshot, so the
 * revocation made after the restore is denied.
 *
 * <p>Proves G2 of docs/guarantees.md (a sidecar never resumes past a log that went back). Before
 * feed positions carried entry ids, the sidecar resumed "after N", the restored log had reached N
 * again, and the revocation made after the restore was never sent: that token stayed valid at a
 * sidecar that reported itself fresh.
 */
class LogRestoreProcessTest {

    @TempDir
    Path dir;

    private final List<AutoCloseable> cleanUp = new ArrayList<>();

    @AfterEach
    void closeInReverse() throws Exception {
        for (int i = cleanUp.size() - 1; i >= 0; i--) {
            cleanUp.get(i).close();
        }
    }

    /** Backs up and restores the authority's database while the authority is down. */
    private interface Backup {
        void take() throws Exception;

        void restore() throws Exception;
    }

    @Test
    void postgresRestoredFromADumpUnderAPausedSidecar() throws Exception {
        TestDatabase database = TestDatabase.postgres();
        cleanUp.add(database);
        Path dump = dir.resolve("authority.dump");
        String[] server = TestDatabase.POSTGRES_HOST.split(":");
        List<String> connection = List.of("-h", server[0], "-p", server[1], "-U", database.user());
        scenario(List.of("--db-url", database.url(), "--db-user", database.user()), false, new Backup() {
            @Override
            public void take() throws Exception {
                run(concat(List.of("pg_dump", "-Fc", "-f", dump.toString()), connection, List.of(database.name())));
            }

            @Override
            public void restore() throws Exception {
                run(concat(List.of("psql", "-q", "-d", "postgres", "-c",
                        "DROP DATABASE \"" + database.name() + "\" WITH (FORCE)"), connection));
                run(concat(List.of("psql", "-q", "-d", "postgres", "-c",
                        "CREATE DATABASE \"" + database.name() + "\""), connection));
                run(concat(List.of("pg_restore", "-d", database.name(), dump.toString()), connection));
            }
        });
    }

    /** The embedded default: an H2 file copied aside while the authority was stopped, copied back after a kill -9. */
    @Test
    void h2FileRestoredFromACopyUnderAPausedSidecar() throws Exception {
        Path data = dir.resolve("data");
        Path file = data.resolve("authority.mv.db");
        Path copy = dir.resolve("authority.mv.db.backup");
        scenario(List.of(), true, new Backup() {
            @Override
            public void take() throws IOException {
                Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
            }

            @Override
            public void restore() throws IOException {
                Files.copy(copy, file, StandardCopyOption.REPLACE_EXISTING);
            }
        });
    }

    /**
     * @param stopForBackup whether the authority must be stopped to take the backup (a file copy)
     *                      or not (pg_dump reads a consistent snapshot of a live database)
     */
    private void scenario(List<String> dbFlags, boolean stopForBackup, Backup backup) throws Exception {
        LoopbackCluster cluster = new LoopbackCluster(dir);
        cleanUp.add(cluster);
        AuthorityNode authority = cluster.startAuthority("authority-1", ChildProcess.freePort(), dir.resolve("data"),
                concat(List.of("--demo"), dbFlags));
        SidecarNode sidecar = cluster.startSidecar("sidecar", authority.port, authority.sidecarSecretFile(), null,
                List.of("--max-staleness", "60s", "--stale-policy", "fail-closed"));
        sidecar.awaitServing();

        String admin = authority.adminToken();
        TokenPair kept = authority.login(AuthorityFixture.ALICE);
        TokenPair lost = authority.login(AuthorityFixture.BOB);
        TokenPair revokedAfterRestore = authority.login(AuthorityFixture.ALICE);
        authority.revokeSession(admin, kept.getSessionId());
        sidecar.awaitDenial(kept.getAccessToken(), DENIAL_REASON_SESSION_REVOKED, "the revocation in the backup");

        if (stopForBackup) {
            authority.process.terminate();
            backup.take();
            authority = cluster.restart(authority, "authority-2");
        } else {
            backup.take();
        }
        long lostSequence = authority.revokeSession(admin, lost.getSessionId()).getFeedSequence();
        sidecar.awaitDenial(lost.getAccessToken(), DENIAL_REASON_SESSION_REVOKED, "the revocation after the backup");

        sidecar.process.pause();
        authority.process.kill();
        backup.restore();
        authority = cluster.restart(authority, "authority-3");
        long reused = authority.revokeSession(admin, revokedAfterRestore.getSessionId()).getFeedSequence();
        assertThat(reused).as("the restored log hands out the lost sequence number again").isEqualTo(lostSequence);
        sidecar.process.resume();

        sidecar.awaitDenial(revokedAfterRestore.getAccessToken(), DENIAL_REASON_SESSION_REVOKED,
                "the revocation made after the restore, at the sequence the sidecar had already applied");
        assertThat(sidecar.validate(kept.getAccessToken()).getReason()).isEqualTo(DENIAL_REASON_SESSION_REVOKED);
        // The restored database no longer holds the lost revocation: the sidecar mirrors the authority as it is now.
        assertThat(sidecar.validate(lost.getAccessToken()).getValid()).isTrue();
        assertThat(sidecar.process.log()).contains("applied a snapshot at sequence " + reused);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return all;
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("pg-tools.log").toFile()).start();
        boolean done = process.waitFor(60, TimeUnit.SECONDS);
        assertThat(done && process.exitValue() == 0).as("%s%n%s", command,
                Files.readString(dir.resolve("pg-tools.log"))).isTrue();
    }
}
