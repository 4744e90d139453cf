package dev.tokenauthority.authority.fleet;

import dev.tokenauthority.authority.Transactions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecars following this replica's feed, and what each reports having applied.
 *
 * <p>A {@link Connection} lives as long as a sidecar's Subscribe stream; its acknowledgements (the positions the
 * sidecar has applied) are kept in memory and written to the shared sidecars table by one thread: within
 * {@link #WRITE_DELAY} of a change of position (coalesced: a burst of acknowledgements is one write), and every
 * {@link #SEEN_INTERVAL} otherwise so that other replicas see it is still there. So an admin on any replica lists the
 * whole fleet ({@link FleetLister}), and a revocation on any replica can wait for the sidecars of all of them
 * ({@link AppliedWait}). Waiters on this replica are woken by each acknowledgement at once, without the table.
 *
 * <p>A replica that cannot write (feed-only, on a standby) keeps its connections in memory only. A write that fails
 * (the database is down) is retried at the next tick; nothing here is on a revocation's path.
 */
public final class SidecarFleet implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SidecarFleet.class);
    /** How long a change of position may wait to be written, so that a burst of acknowledgements is one write. */
    static final Duration WRITE_DELAY = Duration.ofMillis(20);
    /** How often a connected sidecar's row is rewritten when nothing changed: its replica's sign of life. */
    static final Duration SEEN_INTERVAL = Duration.ofSeconds(5);
    /** A connected sidecar whose row has not been written for this long belongs to a replica that died: gone. */
    public static final Duration SILENT_AFTER = Duration.ofSeconds(15);
    /** A connected sidecar with an entry recorded this long ago still to apply is lagging. */
    public static final Duration LAGGING_AFTER = Duration.ofSeconds(2);
    /** How long a sidecar that left stays listed (and its row kept). */
    public static final Duration LISTED_FOR = Duration.ofHours(1);

    private final Transactions transactor;
    private final String replica;
    private final boolean writes;
    private final Clock clock;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    /** Every open stream by its acknowledgement token (a replaced stream stays here until it ends). */
    private final Map<String, Connection> byToken = new ConcurrentHashMap<>();
    private static final SecureRandom TOKENS = new SecureRandom();
    /** Rows of connections that ended, to write once as gone. */
    private final ConcurrentLinkedQueue<SidecarRecord> ended = new ConcurrentLinkedQueue<>();
    /** Notified on every acknowledgement; {@link AppliedWait} waits on it. */
    final Object progress = new Object();
    private final Semaphore changed = new Semaphore(0);
    private final AtomicLong anonymous = new AtomicLong();
    private final Thread writer;
    private volatile boolean running = true;

    /**
     * @param replica this replica's name, shown beside its sidecars
     * @param writes whether this replica writes its sidecars to the table (not a feed-only one)
     */
    public SidecarFleet(Transactions transactor, String replica, boolean writes, Clock clock) {
        this.transactor = transactor;
        this.replica = replica;
        this.writes = writes;
        this.clock = clock;
        this.writer = new Thread(this::writeLoop, "sidecar-fleet");
        writer.setDaemon(true);
    }

    private static final AtomicLong REPLICAS_IN_THIS_PROCESS = new AtomicLong();

    /**
     * A name for a replica of this process: {@code pid@host}, with {@code #n} from the second one on (tests run
     * several in one JVM).
     */
    public static String replicaName() {
        long n = REPLICAS_IN_THIS_PROCESS.incrementAndGet();
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return ProcessHandle.current().pid() + "@" + host + (n == 1 ? "" : "#" + n);
    }

    public void start() {
        if (writes) {
            writer.start();
        }
    }

    public String replica() {
        return replica;
    }

    /**
     * A sidecar's Subscribe stream opened. A sidecar that gave no id is named by its address and a number. A second
     * stream under an id already connected here replaces the first (two sidecars sharing an id show as one).
     */
    public Connection connected(String sidecarId, String clientId, String address) {
        String id = sidecarId == null || sidecarId.isEmpty()
                ? (address == null ? "unnamed" : address) + "#" + anonymous.incrementAndGet() : sidecarId;
        Connection connection = new Connection(id, clientId == null ? "" : clientId, address, clock.instant());
        connections.put(id, connection);
        byToken.put(connection.token, connection);
        changed.release();
        return connection;
    }

    /** The connection of this sidecar id on this replica, if its stream is open. */
    public Optional<Connection> connection(String sidecarId) {
        return Optional.ofNullable(connections.get(sidecarId));
    }

    /** The open stream this acknowledgement token was given to, if it is still open on this replica. */
    public Optional<Connection> connectionOfToken(String token) {
        return Optional.ofNullable(byToken.get(token));
    }

    /** The sidecars connected to this replica now, as they would be written. */
    List<SidecarRecord> localRecords() {
        return connections.values().stream().map(Connection::record).toList();
    }

    /** Sidecars connected to this replica now. */
    public int connectedCount() {
        return connections.size();
    }

    Transactions transactor() {
        return transactor;
    }

    Clock clock() {
        return clock;
    }

    /** A sidecar's stream on this replica, from its subscription to its end. */
    public final class Connection implements AutoCloseable {
        private final String sidecarId;
        private final String clientId;
        private final String address;
        private final Instant connectedAt;
        private volatile String version = "";
        private volatile long appliedSequence = SidecarRecord.NOT_REPORTED;
        private volatile Instant lastSeenAt;
        private volatile boolean dirty = true;
        /** What this stream's acknowledgements present (sent in the stream's SnapshotEnd and Heartbeats): a secret of the stream. */
        private final String token;
        /** Run once when the stream ends: the acknowledgement streams reporting on it end with it. */
        private final List<Runnable> onClose = new ArrayList<>();
        private boolean closed;

        private Connection(String sidecarId, String clientId, String address, Instant connectedAt) {
            this.sidecarId = sidecarId;
            this.clientId = clientId;
            this.address = address;
            this.connectedAt = connectedAt;
            this.lastSeenAt = connectedAt;
            byte[] random = new byte[16];
            TOKENS.nextBytes(random);
            this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        }

        public String sidecarId() {
            return sidecarId;
        }

        /** The token this stream's Acknowledge call must present; sent to the subscriber first, to no one else. */
        public String token() {
            return token;
        }

        /** Whether this stream is the one its sidecar id is counted by here (a newer stream may have taken the id). */
        public boolean current() {
            return connections.get(sidecarId) == this;
        }

        /** The client the stream subscribed as ("" for one authenticated by its certificate). */
        public String clientId() {
            return clientId;
        }

        long appliedSequence() {
            return appliedSequence;
        }

        /** The sidecar says it runs {@code version} (its first acknowledgement). */
        public void reportsVersion(String version) {
            this.version = version;
        }

        /** The sidecar has applied everything up to {@code sequence}; also its heartbeat. */
        public void acknowledged(long sequence) {
            lastSeenAt = clock.instant();
            if (sequence != appliedSequence) {
                appliedSequence = sequence;
                dirty = true;
                changed.release();
                synchronized (progress) {
                    progress.notifyAll();
                }
            }
        }

        SidecarRecord record() {
            return new SidecarRecord(sidecarId, clientId, address, replica, version, connectedAt, lastSeenAt,
                    appliedSequence, null);
        }

        /**
         * Runs {@code action} when this stream ends (at once if it has); the returned handle forgets it, for a caller
         * that ends first (so an acknowledgement stream opened and cancelled again and again holds nothing).
         */
        public Runnable whenClosed(Runnable action) {
            synchronized (onClose) {
                if (!closed) {
                    onClose.add(action);
                    return () -> {
                        synchronized (onClose) {
                            onClose.remove(action);
                        }
                    };
                }
            }
            action.run();
            return () -> { };
        }

        /** The stream ended: the sidecar is gone from this replica (unless a newer stream took its id). */
        @Override
        public void close() {
            List<Runnable> actions;
            synchronized (onClose) {
                closed = true;
                actions = List.copyOf(onClose);
                onClose.clear();
            }
            actions.forEach(Runnable::run);
            byToken.remove(token, this);
            if (connections.remove(sidecarId, this)) {
                SidecarRecord last = record();
                ended.add(new SidecarRecord(last.sidecarId(), last.clientId(), last.address(), last.replica(),
                        last.version(), last.connectedAt(), clock.instant(), last.appliedSequence(), clock.instant()));
                changed.release();
            }
        }
    }

    private void writeLoop() {
        long lastFullWrite = 0;
        while (running) {
            try {
                boolean woken = changed.tryAcquire(SEEN_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                if (woken) {
                    Thread.sleep(WRITE_DELAY.toMillis()); // let a burst of acknowledgements gather
                    changed.drainPermits();
                }
                long now = clock.millis();
                boolean full = now - lastFullWrite >= SEEN_INTERVAL.toMillis();
                if (write(full) && full) {
                    lastFullWrite = now;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Writes the changed rows (all of them when {@code all}); false when the database refused. */
    private boolean write(boolean all) {
        List<SidecarRecord> rows = new ArrayList<>();
        List<Connection> written = new ArrayList<>();
        for (Connection connection : connections.values()) {
            if (all || connection.dirty) {
                connection.dirty = false;
                written.add(connection);
                rows.add(connection.record());
            }
        }
        List<SidecarRecord> gone = new ArrayList<>();
        for (SidecarRecord row; (row = ended.poll()) != null; ) {
            gone.add(row);
        }
        // A sidecar that resubscribed here since its stream ended is connected: its new stream's row stands.
        List<SidecarRecord> left = gone.stream().filter(row -> !connections.containsKey(row.sidecarId())).toList();
        if (rows.isEmpty() && left.isEmpty()) {
            return true;
        }
        try {
            transactor.useTransaction(tx -> {
                SidecarStore store = tx.store(SidecarStore.class);
                store.saveLeft(left);
                store.save(rows);
            });
            return true;
        } catch (RuntimeException e) {
            written.forEach(connection -> connection.dirty = true);
            ended.addAll(gone);
            LOG.debug("could not write the sidecars of this replica, will retry: {}", e.getMessage());
            return false;
        }
    }

    /** Stops writing; the sidecars still connected are written as gone (their streams end with the replica). */
    @Override
    public void close() {
        running = false;
        writer.interrupt();
        if (!writes) {
            return;
        }
        try {
            writer.join(1_000);
            write(false);
            Instant now = clock.instant();
            transactor.useTransaction(tx -> tx.store(SidecarStore.class).disconnectAll(replica, now));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("could not mark this replica's sidecars gone: {}", e.getMessage());
        }
    }
}
