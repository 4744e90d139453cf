package dev.tokenauthority.authority.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh, empty database for one test: an in-memory H2 database, or a PostgreSQL database
 * created on the local server (127.0.0.1:5432, trust auth) and dropped afterwards. Under CI=true
 * an unreachable PostgreSQL fails the test instead of skipping it.
 */
public final class TestDatabase implements AutoCloseable {

    public enum Kind { H2, POSTGRESQL }

    public static final String POSTGRES_HOST = System.getenv().getOrDefault("TOKENAUTHORITY_TEST_PG_HOST", "127.0.0.1:5432");
    public static final String POSTGRES_USER = System.getenv().getOrDefault("TOKENAUTHORITY_TEST_PG_USER", "postgres");

    private final Kind kind;
    private final String url;
    private final String name;

    private TestDatabase(Kind kind, String url, String name) {
        this.kind = kind;
        this.url = url;
        this.name = name;
    }

    public static TestDatabase create(Kind kind) {
        return kind == Kind.H2 ? h2() : postgres();
    }

    public static TestDatabase h2() {
        String name = "ta_" + UUID.randomUUID().toString().replace("-", "");
        return new TestDatabase(Kind.H2, "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", name);
    }

    /** An H2 database in files {@code <dir>/authority.*}, for tests that look at the bytes on disk. */
    public static TestDatabase h2File(java.nio.file.Path dir) {
        return new TestDatabase(Kind.H2, "jdbc:h2:file:" + dir.toAbsolutePath().resolve("authority"), "authority");
    }

    public static TestDatabase postgres() {
        String name = "ta_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection admin = adminConnection(); Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            if ("true".equals(System.getenv("CI"))) {
                fail("PostgreSQL at " + POSTGRES_HOST + " is unreachable under CI=true: " + e.getMessage());
            }
            Assumptions.abort("PostgreSQL at " + POSTGRES_HOST + " is unreachable: " + e.getMessage());
        }
        return new TestDatabase(Kind.POSTGRESQL, "jdbc:postgresql://" + POSTGRES_HOST + "/" + name, name);
    }

    private static Connection adminConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + POSTGRES_HOST + "/postgres", POSTGRES_USER, "");
    }

    public Kind kind() {
        return kind;
    }

    public String url() {
        return url;
    }

    public String user() {
        return kind == Kind.POSTGRESQL ? POSTGRES_USER : "sa";
    }

    public String password() {
        return "";
    }

    /** The database's name, for tests that route its traffic through a proxy. */
    public String name() {
        return name;
    }

    @Override
    public void close() {
        if (kind == Kind.H2) {
            try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
                st.execute("SHUTDOWN");
            } catch (SQLException ignored) {
                // already gone
            }
            return;
        }
        try (Connection admin = adminConnection(); Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop test database " + name, e);
        }
    }
}
