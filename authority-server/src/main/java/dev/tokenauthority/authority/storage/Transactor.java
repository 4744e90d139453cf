package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.TransactionTimer;
import dev.tokenauthority.authority.Transaction;
import dev.tokenauthority.authority.Transactions;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.function.Function;
import org.jdbi.v3.core.JdbiException;

/**
 * Runs units of work in one database transaction: everything a call writes (a rotation, a
 * revocation, its audit event and its feed entry) commits together or not at all. Lost
 * connections become UNAVAILABLE; serialization failures are retried a few times.
 */
public final class Transactor implements Transactions {

    /** Attempts for a transaction that failed with a serialization failure or deadlock. */
    private static final int MAX_ATTEMPTS = 3;

    private final Database database;
    private final TransactionTimer timer;

    public Transactor(Database database) {
        this(database, TransactionTimer.NONE);
    }

    public Transactor(Database database, TransactionTimer timer) {
        this.database = database;
        this.timer = timer;
    }

    /**
     * Runs {@code work} in a transaction and returns its result. Both databases default to READ
     * COMMITTED, which the compare-and-set updates rely on; the level is not set per call, which
     * would cost a round trip and fail on its own when a connection breaks.
     */
    @Override
    public <T> T inTransaction(Function<Transaction, T> work) {
        long start = System.nanoTime();
        TransactionTimer.Ending ending = TransactionTimer.Ending.ROLLED_BACK;
        try {
            T result = attempts(work);
            ending = TransactionTimer.Ending.COMMITTED;
            return result;
        } catch (AuthorityException e) {
            if (e.kind() == AuthorityException.Kind.UNAVAILABLE) {
                ending = TransactionTimer.Ending.UNAVAILABLE;
            }
            throw e;
        } finally {
            timer.finished(ending, System.nanoTime() - start);
        }
    }

    private <T> T attempts(Function<Transaction, T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return database.jdbi().inTransaction(handle -> work.apply(new Tx(handle, database.dialect())));
            } catch (JdbiException e) {
                if (isConnectionFailure(e)) {
                    throw unavailable(e);
                }
                if (!isRetryable(e) || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** Runs a read-only query outside an explicit transaction. */
    @Override
    public <T> T read(Function<Transaction, T> work) {
        try {
            return database.jdbi().withHandle(handle -> work.apply(new Tx(handle, database.dialect())));
        } catch (JdbiException e) {
            if (isConnectionFailure(e)) {
                throw unavailable(e);
            }
            throw e;
        }
    }

    private AuthorityException unavailable(JdbiException e) {
        database.evictIdleConnections();
        return AuthorityException.unavailable("the token database is unavailable, try again later", rootCause(e));
    }

    /**
     * The driver's own exception, without Jdbi's statement context: that context carries bound
     * arguments, which must not reach the logs.
     */
    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return new IllegalStateException(t.getClass().getSimpleName()
                + (t instanceof SQLException sql ? " (SQLState " + sql.getSQLState() + ")" : ""));
    }

    static boolean isConnectionFailure(Throwable e) {
        for (Throwable suppressed : e.getSuppressed()) {
            if (isConnectionFailure(suppressed)) {
                return true;
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException
                    || t instanceof java.net.SocketException
                    || t instanceof java.io.EOFException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                // 08xxx: connection exceptions (SQL standard); 57P0x: PostgreSQL shutting down;
                // 90067 / 90098 / 90108: H2 connection broken, database closed, out of memory.
                if (state.startsWith("08") || state.startsWith("57P0")
                        || state.equals("90067") || state.equals("90098")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isRetryable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                // 40001 serialization failure, 40P01 deadlock (PostgreSQL; H2 reports 40001 too);
                // 23505 unique violation: two transactions inserted the same natural key (a grant),
                // and the retry finds the winner's row.
                // 90131: H2's "concurrent update" of the same row, its form of a serialization failure.
                if (state.equals("40001") || state.equals("40P01") || state.equals("23505") || state.equals("90131")) {
                    return true;
                }
            }
        }
        return false;
    }
}
