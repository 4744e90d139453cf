package dev.tokenauthority.authority.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tokenauthority.authority.keys.KeyEncryptionKeys;
import dev.tokenauthority.authority.storage.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory is 0700 and every file the authority keeps there 0600: the key-encryption key,
 * H2's database and trace files (created before H2 opens them; H2 keeps the mode of a file it finds),
 * and whatever an earlier version left looser, tightened.
 */
class DataDirectoryModesTest {

    @TempDir
    Path dir;

    private Path dataDir;
    private StorageOptions storage;

    @BeforeEach
    void storage() {
        assumeTrue(PrivateFiles.isPosix(dir), "POSIX file modes");
        dataDir = dir.resolve("data");
        storage = new StorageOptions();
        storage.dataDir = dataDir;
    }

    @Test
    void aNewDataDirectoryItsKekAndTheH2FilesAreOwnerOnlyAsH2WritesThem() throws Exception {
        storage.prepareDataDirectory();
        storage.keyEncryptionKeys();
        try (Database database = Database.open(storage.url(), "sa", "", 2)) {
            // An error H2 writes to its trace file, as it would for any failed statement.
            try {
                database.jdbi().useHandle(h -> h.execute("SELECT * FROM no_such_table"));
            } catch (RuntimeException expected) {
                // written to authority.trace.db
            }
        }

        assertThat(mode(dataDir)).isEqualTo("rwx------");
        assertThat(mode(dataDir.resolve(StorageOptions.DEFAULT_KEK_FILE))).isEqualTo("rw-------");
        assertThat(mode(dataDir.resolve("authority.mv.db"))).isEqualTo("rw-------");
        assertThat(Files.size(dataDir.resolve("authority.mv.db"))).isPositive();
        assertThat(mode(dataDir.resolve("authority.trace.db"))).isEqualTo("rw-------");
        assertThat(Files.size(dataDir.resolve("authority.trace.db"))).as("H2 wrote its trace into our file").isPositive();
        assertThat(filesIn(dataDir)).allSatisfy(file -> assertThat(mode(file)).as(file.toString()).isEqualTo("rw-------"));
    }

    @Test
    void looserModesLeftFromBeforeAreTightenedAndTheKekStillReads() throws Exception {
        storage.prepareDataDirectory();
        String kekId = storage.keyEncryptionKeys().primary().id();
        Path kek = dataDir.resolve(StorageOptions.DEFAULT_KEK_FILE);
        Path database = dataDir.resolve("authority.mv.db");
        Path stray = dataDir.resolve("authority.trace.db.old");
        Files.createFile(stray);
        for (Path file : List.of(kek, database, stray)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));

        storage.prepareDataDirectory();
        KeyEncryptionKeys again = storage.keyEncryptionKeys();
        storage.tightenDataDirectory();

        assertThat(again.primary().id()).isEqualTo(kekId);
        assertThat(mode(dataDir)).isEqualTo("rwx------");
        for (Path file : List.of(kek, database, stray)) {
            assertThat(mode(file)).as(file.toString()).isEqualTo("rw-------");
        }
    }

    @Test
    void aDataDirectoryReachedThroughASymlinkIsTightenedWhereItLives() throws Exception {
        // Operators often point the data directory at another disk with a symlink; the directory it
        // leads to is the one that keeps other users out, so its mode is the one that must be 0700.
        Path real = dir.resolve("disk");
        Files.createDirectory(real);
        Path stray = Files.createFile(real.resolve("authority.trace.db.old"));
        Files.setPosixFilePermissions(stray, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(dataDir, real);

        storage.prepareDataDirectory();
        storage.keyEncryptionKeys();
        storage.tightenDataDirectory();

        assertThat(mode(real)).isEqualTo("rwx------");
        assertThat(mode(stray)).isEqualTo("rw-------");
    }

    private static List<Path> filesIn(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private static String mode(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
