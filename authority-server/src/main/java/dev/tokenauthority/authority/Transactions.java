package dev.tokenauthority.authority;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs units of work against the token database. A lost database connection surfaces as an
 * {@link AuthorityException} with UNAVAILABLE; a serialization failure is retried a few times,
 * so {@code work} must not have effects outside the transaction (use
 * {@link Transaction#afterCommit}).
 */
public interface Transactions {

    /** Runs {@code work} in one transaction and returns its result. */
    <T> T inTransaction(Function<Transaction, T> work);

    /** Runs {@code work} in one transaction. */
    default void useTransaction(Consumer<Transaction> work) {
        inTransaction(tx -> {
            work.accept(tx);
            return null;
        });
    }

    /** Runs read-only {@code work} outside an explicit transaction. */
    <T> T read(Function<Transaction, T> work);
}
