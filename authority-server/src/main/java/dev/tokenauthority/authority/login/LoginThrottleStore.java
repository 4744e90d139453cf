package dev.tokenauthority.authority.login;

import java.time.Instant;
import java.util.Optional;

/** The login-throttle windows, shared by every replica on one database. */
public interface LoginThrottleStore {

    /** The window of {@code key}, locked until the transaction ends; empty when it has no row yet. */
    Optional<ThrottleWindow> lock(String key);

    /**
     * Creates an empty window for {@code key} unless one exists. Run outside a transaction: when two
     * logins create the same row at once the loser's unique violation is ignored here, where it
     * cannot abort a PostgreSQL transaction.
     */
    void createIfAbsent(String key, Instant now);

    void save(ThrottleWindow w);

    /** Gives back one attempt reserved in the window that started at {@code start}, if it is still current. */
    void release(String key, Instant start);

    /** Removes windows that started before {@code cutoff} (ended, and no longer referenced). */
    int deleteStartedBefore(Instant cutoff);
}
