package dev.tokenauthority.authority;

/**
 * One unit of database work, as the domain sees it: what a store method joins, so that a
 * rotation, a revocation, its audit event and its feed entry commit together or not at all.
 * Only {@code storage} knows what is inside.
 */
public interface Transaction {

    /**
     * The store of this type, bound to this transaction: every statement it runs is part of this
     * unit of work. The same instance serves the whole transaction.
     */
    <S> S store(Class<S> type);

    /** Runs after the transaction commits (not at all if it rolls back). */
    void afterCommit(Runnable action);
}
