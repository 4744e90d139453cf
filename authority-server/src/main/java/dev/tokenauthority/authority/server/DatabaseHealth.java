package dev.tokenauthority.authority.server;

import dev.tokenauthority.authority.storage.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the authority's database answers, as of the last probe: every {@link #PROBE_INTERVAL} a {@code SELECT 1}
 * bounded by {@link #PROBE_TIMEOUT}. What follows it: grpc.health.v1 on the gRPC port (NOT_SERVING while the
 * database is away, SERVING again when it is back) and {@code /readyz} on the web port, so that a load balancer or
 * an orchestrator sends calls to replicas that can answer them. A change is logged once, with how long the outage
 * lasted, not every probe.
 */
public final class DatabaseHealth implements AutoCloseable {

    /** How often the database is probed: an outage shows in health checks within about this long plus a timeout. */
    public static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);
    /** How long one probe's query may take before the database counts as away. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    /** Failed probes in a row before the database counts as away. */
    static final int FAILURES_TO_GO_AWAY = 2;

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseHealth.class);

    private final BooleanSupplier probe;
    private final Clock clock;
    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "database-health");
        t.setDaemon(true);
        return t;
    });
    /** The database was just opened (and migrated) when this starts: it answers until a probe says otherwise. */
    private volatile boolean answering = true;
    private volatile Instant changedAt;
    private int failuresInARow;

    public DatabaseHealth(Database database, Clock clock) {
        this(() -> database.answers(PROBE_TIMEOUT), clock);
    }

    DatabaseHealth(BooleanSupplier probe, Clock clock) {
        this.probe = probe;
        this.clock = clock;
        this.changedAt = clock.instant();
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::probe, PROBE_INTERVAL.toMillis(), PROBE_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Probes now, tells the listeners if the answer changed, and returns it. The database counts as away only after
     * {@link #FAILURES_TO_GO_AWAY} failed probes in a row: one lost packet or slow answer does not take every replica
     * out of a load balancer at once.
     */
    public synchronized boolean probe() {
        boolean now = probe.getAsBoolean();
        failuresInARow = now ? 0 : failuresInARow + 1;
        if (!now && failuresInARow < FAILURES_TO_GO_AWAY) {
            return answering; // not yet away
        }
        if (now != answering) {
            Instant at = clock.instant();
            Duration lasted = Duration.between(changedAt, at);
            answering = now;
            changedAt = at;
            if (now) {
                LOG.info("database answers again after {} away: serving", lasted);
            } else {
                LOG.warn("database does not answer: not serving until it does");
            }
            listeners.forEach(listener -> listener.accept(now));
        }
        return now;
    }

    /** Whether the database answered the last probe. */
    public boolean answering() {
        return answering;
    }

    /** Calls {@code listener} with the current answer now and with every change from then on (on the prober's thread). */
    public synchronized void onChange(Consumer<Boolean> listener) {
        listeners.add(listener);
        listener.accept(answering);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
