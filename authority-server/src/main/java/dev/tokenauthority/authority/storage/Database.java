package dev.tokenauthority.authority.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tokenauthority.authority.ConnectionPoolState;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateResult;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool, the schema migrations and the Jdbi instance, for H2 (embedded default)
 * or PostgreSQL (production). Migrations run at start, one Flyway history for both databases.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    /** How long a call waits for a pooled connection before the database counts as unavailable. */
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(3);

    /**
     * Settings added to every H2 URL that does not set them itself.
     *
     * <p>{@code WRITE_DELAY=0}: by default (500 ms) H2's MVStore keeps committed transactions in memory
     * and a background thread writes them to the file about every half second, so a {@code kill -9} lost
     * revocations the authority had already acknowledged, and their tokens came back. With 0, H2 writes each
     * commit to the file before the commit returns (MVStore's auto-commit delay 0: the transaction store
     * commits the store at the end of every transaction), about 0.3 ms per commit on a local disk.
     *
     * <p>{@code REUSE_SPACE=FALSE}: with the write delay alone, a restart after {@code kill -9} still came
     * back now and then without the last commits of the killed process (RevocationDurabilityProcessTest on
     * H2 2.5 failed in 3 of 3 runs: every commit after some point of one process's life was gone). It looked
     * like H2, reopening after an unclean shutdown, taking an older chunk for the newest one, and it stopped
     * when new chunks were always appended at the end of the file instead of written into the space of dead
     * ones. Not isolated further: plain JDBC programs killed the same way lost nothing. The price: the file
     * grows by every chunk written (about 17 KB per commit) until it is compacted, which the operator does
     * with {@code SHUTDOWN COMPACT} while the authority is stopped (README, Configuration).
     *
     * <p>Together they make whatever the authority acknowledged reach the operating system first: a crash of
     * the process, {@code kill -9} included, loses nothing acknowledged. H2 does not fsync each commit, though:
     * an operating-system crash or a power loss can still lose the commits the kernel had not yet written
     * back (Linux writes dirty pages back after about 30 s). A deployment that must survive those runs on
     * PostgreSQL, which flushes its WAL on every commit.
     *
     * <p>{@code DB_CLOSE_ON_EXIT=FALSE}: H2 closes its databases from its own JVM shutdown hook, racing
     * ours: calls still draining after SIGTERM would fail. The authority closes the pool itself, last.
     */
    private static final List<Map.Entry<String, String>> DURABLE_H2_SETTINGS =
            List.of(Map.entry("WRITE_DELAY", "0"), Map.entry("REUSE_SPACE", "FALSE"),
                    Map.entry("DB_CLOSE_ON_EXIT", "FALSE"));
    /**
     * Settings of a file this process opens itself; not for in-memory databases (H2 fails to open one that
     * sets them) nor for a database behind an H2 server, whose files are configured where they are.
     */
    private static final Set<String> FILE_ONLY_SETTINGS = Set.of("REUSE_SPACE");

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final Dialect dialect;
    private final String url;
    /** The health probe's own connection ({@link #answers}), null until the first probe and after a failed one. */
    /** The health probe's own connection; volatile so that {@link #close} need not wait for a probe under way. */
    private volatile Connection probeConnection;
    private volatile boolean closed;
    private final String user;
    private final String password;
    private final String schemaVersion;

    private Database(HikariDataSource dataSource, Dialect dialect, String url, String user, String password) {
        this.dataSource = dataSource;
        this.schemaVersion = appliedVersion(dataSource, dialect);
        this.dialect = dialect;
        this.url = url;
        this.user = user;
        this.password = password;
        this.jdbi = Jdbi.create(dataSource);
        InstantColumns.register(jdbi);
        // A failed statement's message reaches the server log: the SQL may, its bound values (token and
        // secret hashes, emails) may not. Jdbi's default rendering lists them.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(Database::sqlOnly);
    }

    static String sqlOnly(StatementException e) {
        StatementContext context = e.getStatementContext();
        String sql = context == null ? null : context.getRenderedSql();
        if (sql == null) {
            return "";
        }
        return "[statement: " + (sql.length() > 300 ? sql.substring(0, 300) + "..." : sql) + "]";
    }

    /**
     * Opens the database and migrates it.
     *
     * @throws Unreachable when no connection opens within {@link FirstConnection#BUDGET}, saying why
     */
    public static Database open(String url, String user, String password, int maxPoolSize) {
        FirstConnection.await(url, user, password);
        HikariDataSource dataSource = pool(url, user, password, maxPoolSize, false);
        try {
            migrate(dataSource, Dialect.of(url));
            return new Database(dataSource, Dialect.of(url), url, user, password);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /**
     * Opens a database this process must not write, a PostgreSQL hot standby: read-only connections,
     * no migration (a standby cannot run one; its primary's authorities do), but the schema must be
     * exactly the one this build migrates to, and its applied scripts the ones this build holds.
     *
     * @throws SchemaMismatch when it is not, saying which version it is at and what to do
     */
    public static Database openWithoutMigrating(String url, String user, String password, int maxPoolSize) {
        FirstConnection.await(url, user, password);
        HikariDataSource dataSource = pool(url, user, password, maxPoolSize, true);
        try {
            checkSchema(dataSource, Dialect.of(url));
            return new Database(dataSource, Dialect.of(url), url, user, password);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /** No connection to the database opened at start-up: {@link #cause()} says why, in terms an operator acts on. */
    public static final class Unreachable extends IllegalStateException {

        /** Why the first connection failed. */
        public enum Cause {
            REFUSED, UNKNOWN_HOST, TIMED_OUT, STARTING, IN_USE, AUTHENTICATION, NO_DATABASE, OTHER;

            /** The cause as the operator reads it. */
            public String words() {
                return switch (this) {
                    case REFUSED -> "connection refused";
                    case UNKNOWN_HOST -> "unknown host";
                    case TIMED_OUT -> "no answer in time";
                    case STARTING -> "the database is starting up";
                    case IN_USE -> "the database file is in use by another process";
                    case AUTHENTICATION -> "the database refused the user or password";
                    case NO_DATABASE -> "no such database";
                    case OTHER -> "the driver refused";
                };
            }

            /** Whether waiting can help: a database coming up, a file being let go, a name not yet in DNS. */
            boolean worthRetrying() {
                return switch (this) {
                    case REFUSED, UNKNOWN_HOST, TIMED_OUT, STARTING, IN_USE -> true;
                    case AUTHENTICATION, NO_DATABASE, OTHER -> false;
                };
            }
        }

        private final Cause cause;

        Unreachable(Cause cause, int attempts, String detail, Throwable failure) {
            super(cause.words() + " after " + attempts + (attempts == 1 ? " attempt" : " attempts") + ": " + detail,
                    failure);
            this.cause = cause;
        }

        public Cause cause() {
            return cause;
        }
    }

    /** The schema of a database opened without migrating is not the one this build expects. */
    public static final class SchemaMismatch extends IllegalStateException {
        SchemaMismatch(String message) {
            super(message);
        }
    }

    private static HikariDataSource pool(String url, String user, String password, int maxPoolSize, boolean readOnly) {
        HikariConfig config = new HikariConfig();
        config.setReadOnly(readOnly);
        config.setJdbcUrl(effectiveUrl(url));
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        if (Dialect.of(url) == Dialect.POSTGRESQL) {
            // Batches (a bulk revocation's audit events and feed entries) go as multi-row INSERTs
            // instead of one statement per row: thousands of rows in a few round trips.
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        config.setMaximumPoolSize(maxPoolSize);
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        config.setValidationTimeout(Duration.ofSeconds(2).toMillis());
        config.setPoolName("authority-db");
        config.setExceptionOverrideClassName(ConnectionLossEviction.class.getName());
        // Start even when the database is briefly unreachable; calls then answer UNAVAILABLE.
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    /**
     * The URL the pool and the dedicated connections open: for H2, {@link #DURABLE_H2_SETTINGS} appended (those
     * in {@link #FILE_ONLY_SETTINGS} only to a database file this process opens), each only if the operator's URL
     * does not set it already (an explicit setting wins). Other URLs are unchanged.
     */
    static String effectiveUrl(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return url;
        }
        String upper = url.toUpperCase(Locale.ROOT);
        boolean ownFile = !(upper.startsWith("JDBC:H2:MEM:") || upper.startsWith("JDBC:H2:TCP:")
                || upper.startsWith("JDBC:H2:SSL:"));
        StringBuilder effective = new StringBuilder(url);
        for (Map.Entry<String, String> setting : DURABLE_H2_SETTINGS) {
            if (FILE_ONLY_SETTINGS.contains(setting.getKey()) && !ownFile) {
                continue;
            }
            if (!upper.contains(";" + setting.getKey() + "=")) {
                effective.append(';').append(setting.getKey()).append('=').append(setting.getValue());
            }
        }
        return effective.toString();
    }

    private static void migrate(DataSource dataSource, Dialect dialect) {
        RewordedMigrations.acceptReleasedChecksums(dataSource);
        MigrateResult result = flyway(dataSource, dialect).migrate();
        LOG.info("database schema at version {} ({} migrations applied now)",
                result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion,
                result.migrationsExecuted);
    }

    /**
     * Refuses a schema at another version than this build's latest migration (behind: the primary
     * has not been migrated yet; ahead: this build is older than the primary's), or whose applied
     * scripts differ from this build's. Reads only: Flyway's info and validate write nothing.
     */
    private static void checkSchema(DataSource dataSource, Dialect dialect) {
        Flyway flyway = flyway(dataSource, dialect);
        MigrationInfoService info = flyway.info();
        String expected = Arrays.stream(info.all()).filter(m -> m.getState().isResolved() && m.getVersion() != null)
                .map(MigrationInfo::getVersion).max(Comparator.naturalOrder()).map(Object::toString).orElse("none");
        String actual = info.current() == null ? "none (no migration applied)" : info.current().getVersion().toString();
        if (!expected.equals(actual)) {
            throw new SchemaMismatch("the database schema is at version " + actual + " but this build expects version "
                    + expected + ", and a feed-only replica runs no migrations (its standby is read-only): start a"
                    + " primary replica of this build on the primary database to migrate it, or run the build that"
                    + " matches the schema");
        }
        ValidateResult validation = flyway.validateWithResult();
        if (!validation.validationSuccessful) {
            throw new SchemaMismatch("the database's applied migrations differ from this build's ("
                    + validation.getAllErrorMessages() + "); a feed-only replica runs no migrations");
        }
    }

    private static Flyway flyway(DataSource dataSource, Dialect dialect) {
        return Flyway.configure()
                .dataSource(dataSource)
                // No retries of its own: FirstConnection has waited for the database, within a bound, and said so.
                .connectRetries(0)
                // One version sequence for both databases; a version whose statements differ by database
                // (V6) has a script in each database's folder, db/vendor/h2 and db/vendor/postgresql.
                .locations("classpath:db/migration", "classpath:db/vendor/" + dialect.name().toLowerCase(Locale.ROOT))
                .load();
    }

    /** The version of the last migration applied, as opened (after migrating, if this process migrates). */
    private static String appliedVersion(DataSource dataSource, Dialect dialect) {
        MigrationInfo current = flyway(dataSource, dialect).info().current();
        return current == null || current.getVersion() == null ? "0" : current.getVersion().getVersion();
    }

    /** The version of the schema's last applied migration ("9" for V9__...), "0" for none. */
    public String schemaVersion() {
        return schemaVersion;
    }

    /** The connection pool right now. */
    public ConnectionPoolState poolState() {
        var pool = dataSource.getHikariPoolMXBean();
        int max = dataSource.getMaximumPoolSize();
        return pool == null ? new ConnectionPoolState(0, 0, 0, max)
                : new ConnectionPoolState(pool.getActiveConnections(), pool.getIdleConnections(),
                        pool.getThreadsAwaitingConnection(), max);
    }

    /**
     * Drops every idle pooled connection. Called when one connection turned out dead: its
     * siblings almost certainly are too, and without this each would fail one more call after
     * the database is back.
     */
    public void evictIdleConnections() {
        var pool = dataSource.getHikariPoolMXBean();
        if (pool != null) {
            pool.softEvictConnections();
        }
    }

    /**
     * Whether the database answers a {@code SELECT 1} within {@code timeout}, asked on a connection of its own
     * kept for this (opened again after a failure), never one of the pool's: a pool whose connections are all busy
     * with slow but healthy work must not make the replica report its database down, and a failed probe must not
     * throw the pool's idle connections away.
     */
    public synchronized boolean answers(Duration timeout) {
        if (closed) {
            return false;
        }
        try {
            Connection connection = probeConnection;
            if (connection == null) {
                connection = openProbeConnection(timeout);
                probeConnection = connection;
                if (closed) { // closed while connecting
                    closeProbeConnection();
                    return false;
                }
            }
            boundReads(connection, timeout);
            try (Statement statement = connection.createStatement()) {
                statement.setQueryTimeout(Math.max(1, (int) timeout.toSeconds()));
                statement.execute("SELECT 1");
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            closeProbeConnection();
            return false;
        }
    }

    private Connection openProbeConnection(Duration timeout) throws SQLException {
        return FirstConnection.open(url, user, password, timeout);
    }

    /**
     * Not synchronized: a probe connecting to an H2 server that accepted but never answers (H2's handshake has no
     * read timeout) holds {@link #answers}'s lock for ever, and closing the database must not wait for it.
     */
    private void closeProbeConnection() {
        Connection connection = probeConnection;
        probeConnection = null;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // it is being replaced because it failed
            }
        }
    }

    /**
     * A query timeout is enforced by a cancel request over a second connection, which hangs as well when the link
     * drops packets instead of refusing them; a network timeout bounds the socket read itself. The pool resets it when
     * the connection is returned.
     */
    private static void boundReads(Connection connection, Duration timeout) throws SQLException {
        try {
            connection.setNetworkTimeout(Runnable::run, (int) timeout.toMillis());
        } catch (SQLFeatureNotSupportedException e) {
            // H2 has no socket of its own to bound: the query timeout is all there is
        }
    }

    /** A connection outside the pool, for a long-lived session such as LISTEN. */
    public Connection openDedicatedConnection() {
        try {
            return DriverManager.getConnection(effectiveUrl(url), user == null ? "" : user, password == null ? "" : password);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to the database: " + e.getSQLState(), e);
        }
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public Dialect dialect() {
        return dialect;
    }

    @Override
    public void close() {
        closed = true;
        closeProbeConnection();
        dataSource.close();
    }

    /** The two supported databases; a few statements differ between them. */
    public enum Dialect {
        H2,
        POSTGRESQL;

        static Dialect of(String url) {
            if (url.startsWith("jdbc:postgresql:")) {
                return POSTGRESQL;
            }
            if (url.startsWith("jdbc:h2:")) {
                return H2;
            }
            throw new IllegalArgumentException("--db-url must be a jdbc:h2: or jdbc:postgresql: URL");
        }
    }
}
