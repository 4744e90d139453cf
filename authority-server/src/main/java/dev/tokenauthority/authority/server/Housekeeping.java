package dev.tokenauthority.authority.server;

import dev.tokenauthority.api.RevocationRetention;
import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.activity.ActivityRecorder;
import dev.tokenauthority.authority.activity.ActivityStore;
import dev.tokenauthority.authority.audit.Actor;
import dev.tokenauthority.authority.audit.CallContext;
import dev.tokenauthority.authority.fleet.SidecarFleet;
import dev.tokenauthority.authority.fleet.SidecarStore;
import dev.tokenauthority.authority.keys.SigningKeys;
import dev.tokenauthority.authority.login.LoginThrottle;
import dev.tokenauthority.authority.retention.TokenRetention;
import dev.tokenauthority.authority.revocation.SessionRowsFollower;
import dev.tokenauthority.authority.token.RevocationLogStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic upkeep: rotate the signing key when it is too old, pick up keys other replicas
 * created, announce retired keys whose publication window has passed, and compact the
 * revocation log (an entry whose horizon has passed can no longer affect any live token at any
 * validator, see {@link RevocationRetention}), delete login-throttle windows long over, and revoke
 * the rows of force-logged-out sessions that no replica has revoked yet (one crashed before its
 * rows followed), delete the rows of sessions and tokens past their retention ({@link TokenRetention}), and the
 * activity minutes older than the longest chart ({@link ActivityRecorder#RETENTION}), and the sidecars not seen
 * for {@link SidecarFleet#LISTED_FOR}.
 * A failing run is logged and retried at the next tick.
 */
public final class Housekeeping implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

    private final SigningKeys keys;
    private final LoginThrottle loginThrottle;
    private final SessionRowsFollower sessionRows;
    private final TokenRetention retention;
    private final Transactions transactor;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "housekeeping");
        t.setDaemon(true);
        return t;
    });

    public Housekeeping(SigningKeys keys, LoginThrottle loginThrottle, SessionRowsFollower sessionRows,
            TokenRetention retention, Transactions transactor, Clock clock) {
        this.keys = keys;
        this.loginThrottle = loginThrottle;
        this.sessionRows = sessionRows;
        this.retention = retention;
        this.transactor = transactor;
        this.clock = clock;
    }

    public void start(Duration interval) {
        scheduler.scheduleWithFixedDelay(this::runOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void runOnce() {
        try {
            if (keys.rotateIfDue(new CallContext(null, Actor.system()))) {
                LOG.info("signing key rotated automatically; new kid {}", keys.current().kid());
            }
            keys.reload();
            if (keys.withdrawExpiredKeys()) {
                LOG.info("retired signing keys past their publication window left the JWK set");
            }
            Instant cutoff = clock.instant().minus(RevocationRetention.atAuthority());
            int removed = transactor.inTransaction(tx -> tx.store(RevocationLogStore.class).deleteExpiredBefore(cutoff));
            if (removed > 0) {
                LOG.info("compacted {} expired revocation-log entries", removed);
            }
            loginThrottle.sweep();
            int sessions = sessionRows.drain();
            if (sessions > 0) {
                LOG.info("revoked the rows of {} force-logged-out sessions left behind", sessions);
            }
            TokenRetention.Deleted deleted = retention.sweep();
            if (deleted.any()) {
                LOG.info("deleted {} sessions, {} refresh tokens and {} access-token records past their retention",
                        deleted.sessions(), deleted.refreshTokens(), deleted.accessTokens());
            }
            Instant activityCutoff = clock.instant().minus(ActivityRecorder.RETENTION);
            transactor.useTransaction(tx -> tx.store(ActivityStore.class).deleteBefore(activityCutoff));
            Instant sidecarCutoff = clock.instant().minus(SidecarFleet.LISTED_FOR);
            transactor.useTransaction(tx -> tx.store(SidecarStore.class).deleteSeenBefore(sidecarCutoff));
        } catch (RuntimeException e) {
            LOG.warn("housekeeping failed, will retry: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
