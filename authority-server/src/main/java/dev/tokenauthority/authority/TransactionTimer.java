package dev.tokenauthority.authority;

/**
 * Hears how long each {@link Transactions#inTransaction} call took, its retries included (the caller's wait), and how it
 * ended: the metrics registry, when one is configured.
 */
@FunctionalInterface
public interface TransactionTimer {

    /** Times nothing. */
    TransactionTimer NONE = (ending, nanos) -> { };

    /** How a transaction ended. */
    enum Ending {
        COMMITTED,
        /** Rolled back by an exception: a domain refusal, or a database error that was not a lost connection. */
        ROLLED_BACK,
        /** The database could not be reached, or the connection broke: the caller got UNAVAILABLE. */
        UNAVAILABLE
    }

    void finished(Ending ending, long nanos);
}
