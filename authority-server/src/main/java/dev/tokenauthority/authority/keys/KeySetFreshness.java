package dev.tokenauthority.authority.keys;

import dev.tokenauthority.authority.AuthorityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Whether this replica may hand out the published key set (GetJwks, /.well-known/jwks.json). A
 * primary reads the keys from the database it writes, so always. A feed-only replica reads them
 * from a standby, which may stop replaying: then a key an admin revoked on the primary would still
 * be published here, and a new one missing. It serves the set only while its feed's vouch (the
 * primary's beat as the standby replayed it, which moves about once a second) has moved within
 * {@link #MAX_AGE} by its own clock (key changes travel through the log, and the replica reloads
 * its keys when one arrives), and answers UNAVAILABLE otherwise, so the caller asks another
 * replica.
 */
@FunctionalInterface
public interface KeySetFreshness {

    /** As a sidecar's default --max-staleness: no older than the revocation state sidecars accept. */
    Duration MAX_AGE = Duration.ofSeconds(30);

    /** A primary's key set. */
    KeySetFreshness ALWAYS = () -> { };

    /** Throws UNAVAILABLE when this replica's key set may be too old to hand out. */
    void requireFresh();

    /**
     * A feed-only replica's: fresh while {@code vouchMovedAt} (when, by {@code clock}, its feed's
     * vouch last moved) is recent.
     */
    static KeySetFreshness vouchMoving(Supplier<Instant> vouchMovedAt, Clock clock) {
        return () -> {
            Duration still = Duration.between(vouchMovedAt.get(), clock.instant());
            if (still.compareTo(MAX_AGE) > 0) {
                throw AuthorityException.unavailable("this feed-only replica's database (a standby) has shown no "
                        + "progress of the primary for " + still.toSeconds() + " s, over the " + MAX_AGE.toSeconds()
                        + " s its key set may be served for; ask another replica", null);
            }
        };
    }
}
