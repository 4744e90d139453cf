package dev.tokenauthority.authority.config;

import dev.tokenauthority.authority.keys.KeyEncryptionKey;
import dev.tokenauthority.authority.keys.KeyEncryptionKeys;
import dev.tokenauthority.authority.storage.Database;
import dev.tokenauthority.cli.SecretFile;
import dev.tokenauthority.cli.StartupRefusal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * Where the authority's state lives, shared by {@code serve} and {@code rewrap-keys}: the data
 * directory, the database, and the key-encryption keys that seal the signing keys in it.
 *
 * <p>Which KEK when none is configured: the embedded database in the data directory gets a KEK
 * file generated next to it ({@value #DEFAULT_KEK_FILE}, 0600), so the demo and a default
 * {@code serve} need no set-up; an in-memory H2 database gets an ephemeral KEK, as short-lived as
 * its keys. Any other database (PostgreSQL, an H2 file elsewhere) must be given
 * {@code --key-encryption-key-file}: a KEK generated in one replica's data directory would leave
 * the others, and a restored database, unable to open the keys.
 */
public final class StorageOptions {

    private static final Logger LOG = LoggerFactory.getLogger(StorageOptions.class);
    /** The KEK generated in the data directory for its embedded database. */
    static final String DEFAULT_KEK_FILE = "key-encryption.key";
    /** The embedded database's name in the data directory: H2 adds .mv.db and .trace.db. */
    private static final String EMBEDDED_DATABASE = "authority";

    @Option(names = "--data-dir", defaultValue = "./data",
            description = "Where the embedded database, its key-encryption key and demo secrets live (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--db-url", description = "JDBC URL: jdbc:h2:... or jdbc:postgresql://... (default jdbc:h2:file:<data-dir>/authority).")
    String dbUrl;

    @Option(names = "--db-user", description = "Database user.")
    String dbUser;

    @Option(names = "--db-password-file", description = "File holding the database password.")
    Path dbPasswordFile;

    @Option(names = "--key-encryption-key-file", split = ",", paramLabel = "FILE",
            description = "File holding a key-encryption key (one line: 32 random bytes in base64, mode 0600); "
                    + "repeatable or comma-separated: the first seals the signing keys, all open them. "
                    + "Default: <data-dir>/" + DEFAULT_KEK_FILE + ", generated, for the embedded database only.")
    List<Path> keyEncryptionKeyFiles;

    /** The JDBC URL the authority opens. */
    String url() {
        if (isEmbedded()) {
            return "jdbc:h2:file:" + embeddedDatabase();
        }
        if (!dbUrl.startsWith("jdbc:h2:") && !dbUrl.startsWith("jdbc:postgresql:")) {
            throw new StartupRefusal("--db-url \"" + redact(dbUrl) + "\" is not a jdbc:postgresql:// or jdbc:h2: URL; "
                    + "e.g. jdbc:postgresql://db.example:5432/authority, or leave " + AuthorityMain.flag("--db-url")
                    + " unset for the embedded database in --data-dir");
        }
        return dbUrl;
    }

    String user() {
        return dbUser;
    }

    String password() {
        return dbPasswordFile == null ? null : SecretFile.read(AuthorityMain.flag("--db-password-file"), dbPasswordFile);
    }

    /**
     * The database, opened (and migrated when {@code migrate}); a database that cannot be reached, or whose schema a
     * feed-only replica cannot serve, is a {@link StartupRefusal} that says which flag to look at.
     */
    Database open(int poolSize, boolean migrate) {
        String url = url();
        try {
            return migrate ? Database.open(url, user(), password(), poolSize)
                    : Database.openWithoutMigrating(url, user(), password(), poolSize);
        } catch (Database.Unreachable e) {
            throw new StartupRefusal("cannot open the database " + redact(url) + ": " + e.getMessage() + "; "
                    + advice(e.cause()), e);
        } catch (Database.SchemaMismatch e) {
            throw new StartupRefusal(e.getMessage(), e);
        }
    }

    private String advice(Database.Unreachable.Cause cause) {
        return switch (cause) {
            case REFUSED, TIMED_OUT, STARTING -> "start the database, or correct the host and port in "
                    + AuthorityMain.flag("--db-url");
            case UNKNOWN_HOST -> "correct the host name in " + AuthorityMain.flag("--db-url");
            case AUTHENTICATION -> "check " + AuthorityMain.flag("--db-user") + " and " + AuthorityMain.flag("--db-password-file");
            case NO_DATABASE -> "create it (e.g. createdb -h HOST -U postgres NAME) or correct the name in "
                    + AuthorityMain.flag("--db-url");
            case IN_USE -> "another process (an authority on the same --data-dir?) holds it: stop that one, or give "
                    + "this one its own " + AuthorityMain.flag("--data-dir");
            case OTHER -> "check " + AuthorityMain.flag("--db-url");
        };
    }

    /** Whether the database is the embedded one in the data directory (no --db-url). */
    boolean isEmbedded() {
        return dbUrl == null;
    }

    boolean hasKeyEncryptionKeyFiles() {
        return keyEncryptionKeyFiles != null && !keyEncryptionKeyFiles.isEmpty();
    }

    /**
     * Creates the data directory 0700 (or tightens it) and, for the embedded database, its files 0600
     * before H2 opens them: H2 creates files with the process's umask, typically world-readable.
     */
    void prepareDataDirectory() throws IOException {
        PrivateFiles.directory(dataDir);
        if (isEmbedded()) {
            PrivateFiles.file(Path.of(embeddedDatabase() + ".mv.db"));
            PrivateFiles.file(Path.of(embeddedDatabase() + ".trace.db"));
        }
    }

    /** Tightens everything in the data directory: files H2 or an earlier version created with a looser mode. */
    void tightenDataDirectory() throws IOException {
        PrivateFiles.tightenTree(dataDir);
    }

    /**
     * The configured KEKs; without any, the embedded database's generated one or, for an in-memory
     * database, an ephemeral one (see the class comment).
     *
     * @throws StartupRefusal when none is configured for any other database, or a file is refused
     */
    KeyEncryptionKeys keyEncryptionKeys() throws IOException {
        if (hasKeyEncryptionKeyFiles()) {
            return KeyEncryptionKeys.of(keyEncryptionKeyFiles.stream().map(KeyEncryptionKeyFile::read).toList());
        }
        if (isEmbedded()) {
            return KeyEncryptionKeys.of(dataDirectoryKey());
        }
        if (dbUrl.toLowerCase(Locale.ROOT).startsWith("jdbc:h2:mem:")) {
            KeyEncryptionKey ephemeral = KeyEncryptionKey.generate();
            LOG.info("in-memory database: signing keys sealed under an ephemeral key-encryption key {}", ephemeral.id());
            return KeyEncryptionKeys.of(ephemeral);
        }
        throw new StartupRefusal("the database " + redact(dbUrl) + " is not the embedded one in --data-dir, so the"
                + " signing keys in it need a key-encryption key kept outside it: set --key-encryption-key-file"
                + " (TOKENAUTHORITY_KEY_ENCRYPTION_KEY_FILE) to a file holding 32 random bytes in base64, mode 0600"
                + " (head -c 32 /dev/urandom | base64 > kek; chmod 600 kek), the same file on every replica");
    }

    private KeyEncryptionKey dataDirectoryKey() throws IOException {
        Path file = dataDir.resolve(DEFAULT_KEK_FILE);
        if (Files.exists(file)) {
            PrivateFiles.tighten(file);
            return KeyEncryptionKeyFile.read(file);
        }
        KeyEncryptionKey kek = KeyEncryptionKeyFile.generate(file);
        LOG.info("generated key-encryption key {} in {}: back it up apart from the database, which cannot be used"
                + " without it", kek.id(), file);
        return kek;
    }

    private String embeddedDatabase() {
        return dataDir.toAbsolutePath().resolve(EMBEDDED_DATABASE).toString();
    }

    /** JDBC URLs may carry a password parameter; never log it. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
