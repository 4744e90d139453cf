package dev.tokenauthority.authority.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * Migrations whose comments were reworded after release. Flyway checksums a script's every line,
 * comments included, and refuses to start on a database that applied a script with another
 * checksum. For each script listed here, exactly one earlier checksum (that of the released
 * text) is accepted and replaced by the current one before Flyway validates; any other mismatch still
 * stops the start, as it should.
 */
final class RewordedMigrations {

    /** A script's version, the checksum of its released text, and that of its text now. */
    record Reworded(String version, int releasedChecksum, int currentChecksum) {
    }

    static final List<Reworded> REWORDED = List.of(
            // V2's first comment line named a document outside the repository.
            new Reworded("2", 1481632718, 355566707));

    /** The table Flyway keeps its history in (its default name). */
    private static final String HISTORY = "flyway_schema_history";

    private RewordedMigrations() {}

    /**
     * Accepts each listed script's released checksum in {@code database}'s history, if it has one.
     * A database not reachable yet is left to Flyway, which retries and reports it.
     */
    static void acceptReleasedChecksums(DataSource database) {
        Connection connection;
        try {
            connection = database.getConnection();
        } catch (SQLException notYet) {
            return;
        }
        try (connection) {
            connection.setAutoCommit(true);
            if (!historyExists(connection, HISTORY)) {
                return;
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE \"" + HISTORY + "\" SET \"checksum\" = ? WHERE \"version\" = ? AND \"checksum\" = ?")) {
                for (Reworded script : REWORDED) {
                    update.setInt(1, script.currentChecksum());
                    update.setString(2, script.version());
                    update.setInt(3, script.releasedChecksum());
                    update.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not accept the reworded migrations' released checksums", e);
        }
    }

    private static boolean historyExists(Connection connection, String table) throws SQLException {
        try (ResultSet tables = connection.getMetaData().getTables(null, connection.getSchema(), table, null)) {
            return tables.next();
        }
    }
}
