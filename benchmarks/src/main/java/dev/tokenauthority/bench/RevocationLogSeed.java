package dev.tokenauthority.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Gives a running authority's PostgreSQL database a large live revocation state by SQL, in one
 * transaction, as the authority appends: {@code authority_state.last_sequence} moved forward by the
 * count (which also serialises with any concurrent append, see {@code RevocationLog}) and one
 * {@code revocation_log} row per sequence, with a random non-zero entry id. Appending them through
 * the admin API would take hours.
 *
 * <p>The mix: 60 % revoked access tokens (kind TOKEN, a 22-character jti), 38 % revoked sessions
 * (SESSION, a 33-character id), 2 % user watermarks; recorded within the last hour and expiring
 * 10 to 60 minutes from now, so every entry is live and goes into every snapshot of the run. The
 * feed's tailer reads them in pages and publishes them (to nobody, before any subscriber joins).
 */
final class RevocationLogSeed {

    private RevocationLogSeed() {
    }

    /** The log's end after the seed: {sequence, entry_id}. */
    static long[] seed(Connection c, int entries) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL synchronous_commit = off");
            long last;
            try (var rs = s.executeQuery(String.format(Locale.ROOT,
                    "UPDATE authority_state SET last_sequence = last_sequence + %d WHERE id = 1 RETURNING last_sequence",
                    entries))) {
                rs.next();
                last = rs.getLong(1);
            }
            long first = last - entries + 1;
            s.executeUpdate(String.format(Locale.ROOT, """
                    INSERT INTO revocation_log (sequence, recorded_at, kind, subject, effective_at, expires_at, payload,
                                                entry_id)
                    SELECT %1$d + i, recorded, kind,
                           CASE kind WHEN 'TOKEN' THEN substr(md5('jti' || i), 1, 22)
                                     WHEN 'SESSION' THEN 's' || md5('session' || i)
                                     ELSE 'usr_' || substr(md5('user' || i), 1, 22) END,
                           recorded, date_trunc('milliseconds', now()) + interval '10 minutes' + interval '50 minutes' * random(),
                           NULL, 1 + floor(random() * 4.0e18)::bigint
                    FROM (SELECT i, date_trunc('milliseconds', now()) - interval '1 hour' * random() AS recorded,
                                 CASE WHEN i %% 50 = 0 THEN 'USER_WATERMARK'
                                      WHEN i %% 50 < 20 THEN 'SESSION' ELSE 'TOKEN' END AS kind
                          FROM generate_series(0, %2$d) i) g
                    """, first, entries - 1));
            long entryId;
            try (var rs = s.executeQuery("SELECT entry_id FROM revocation_log WHERE sequence = " + last)) {
                rs.next();
                entryId = rs.getLong(1);
            }
            c.commit();
            s.execute("ANALYZE revocation_log");
            return new long[] {last, entryId};
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }
}
