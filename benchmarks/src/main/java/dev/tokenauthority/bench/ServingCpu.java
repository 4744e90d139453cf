package dev.tokenauthority.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of the processes that serve one system under test: its server process and the
 * PostgreSQL backends connected to its database ({@code pg_stat_activity.datname}), read from
 * {@code /proc/<pid>/stat}. The backends are looked up through a connection to another database,
 * so the monitor's own backend is never counted.
 *
 * <p>A backend that exits inside a window loses its CPU since the window started (a pool that keeps
 * its connections, as both systems' do, has none); one that starts inside it counts in full.
 */
final class ServingCpu implements AutoCloseable {

    /** CPU used so far, in microseconds: the server's, and each backend's by pid. */
    record Sample(long serverMicros, Map<Long, Long> backendMicros) {

        /** Server and PostgreSQL CPU spent between {@code earlier} and this sample, in microseconds. */
        Usage since(Sample earlier) {
            long backends = 0;
            for (Map.Entry<Long, Long> e : backendMicros.entrySet()) {
                backends += e.getValue() - earlier.backendMicros.getOrDefault(e.getKey(), 0L);
            }
            return new Usage(serverMicros - earlier.serverMicros, backends);
        }
    }

    record Usage(long serverMicros, long postgresMicros) {}

    private final ProcessCpuTime server;
    private final Connection monitor;
    private final PreparedStatement backends;

    /** {@code monitorUrl} must name a database other than {@code database}, e.g. {@code postgres}. */
    ServingCpu(long serverPid, String monitorUrl, String user, String database) throws SQLException {
        this.server = new ProcessCpuTime(serverPid);
        this.monitor = DriverManager.getConnection(monitorUrl, user, "");
        this.backends = monitor.prepareStatement(
                "SELECT pid FROM pg_stat_activity WHERE datname = ? AND backend_type = 'client backend'");
        this.backends.setString(1, database);
    }

    Sample sample() {
        Map<Long, Long> micros = new HashMap<>();
        try (ResultSet rs = backends.executeQuery()) {
            while (rs.next()) {
                long pid = rs.getLong(1);
                try {
                    micros.put(pid, new ProcessCpuTime(pid).micros());
                } catch (IllegalStateException exited) {
                    // gone between the query and the read: nothing to count
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list the PostgreSQL backends", e);
        }
        return new Sample(server.micros(), micros);
    }

    @Override
    public void close() throws SQLException {
        monitor.close();
    }
}
