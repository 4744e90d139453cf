package dev.tokenauthority.authority.token;

/**
 * Counts the revocation-log entries this process committed, by kind (the metrics registry, when one is configured).
 * Called after the commit, so a transaction that rolled back or was retried counts once or not at all; each replica
 * counts only what it wrote itself, so summing over replicas counts every entry once.
 */
@FunctionalInterface
public interface RevocationCounter {

    /** Counts nothing: for a log whose entries nobody scrapes. */
    RevocationCounter NONE = (kind, entries) -> { };

    void committed(RevocationKind kind, int entries);
}
