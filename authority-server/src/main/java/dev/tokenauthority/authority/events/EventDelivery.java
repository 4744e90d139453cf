package dev.tokenauthority.authority.events;

import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.keys.KeyEncryptionKeys;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes the outbox to the receivers (one worker per replica), on threads of its own: a revocation
 * only wakes it after committing, so a slow or dead receiver delays neither the revocation's answer
 * nor the sidecars' feed.
 *
 * <p><b>Order and exclusion.</b> A receiver is drained by one replica at a time, the holder of its
 * lease ({@link EventReceiverStore#lease}, a compare-and-set renewed before each event and given
 * back when the receiver is drained or failing). Under the lease its events go out one at a time in
 * log-sequence order, the next only once the previous was accepted, refused or expired: in order
 * per receiver. A replica that dies holding a lease leaves it to expire ({@link #LEASE}), then
 * another replica carries on from the first event not yet removed.
 *
 * <p><b>At least once.</b> An event is removed after its receiver accepted it; a replica dying in
 * between sends it again later, with the same {@code jti}, by which the receiver drops the
 * duplicate (RFC 8417 section 2.2). Nothing is lost: the outbox row commits with the revocation.
 *
 * <p><b>Retries.</b> A failed push (not 202, not 400) is retried with capped exponential backoff
 * with jitter, kept in memory per replica (a restart tries again at once), until it is accepted or
 * older than {@link #maxAge(Duration) the maximum age}, when it is dropped and reported as expired.
 */
public final class EventDelivery implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventDelivery.class);

    /** The default of {@code --event-delivery-max-age}: an event not delivered in a day is dropped. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);
    /** How long a lease lasts unrenewed: longer than one push can take ({@link EventPush#REQUEST_TIMEOUT}). */
    public static final Duration LEASE = Duration.ofSeconds(60);
    /** How often the outbox is looked at without a wake-up: events committed by other replicas. */
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    /** The first retry's delay; each failure in a row doubles it, up to {@link #MAX_BACKOFF}. */
    public static final Duration INITIAL_BACKOFF = Duration.ofMillis(250);
    /** The longest wait between two attempts at a failing receiver. */
    public static final Duration MAX_BACKOFF = Duration.ofMinutes(2);
    /** Receivers pushed to at once by one replica: a slow one takes a thread, not the others' turn. */
    private static final int PUSH_THREADS = 4;

    private final Transactions transactor;
    private final SecurityEventTokens tokens;
    private final EventPush push;
    private final KeyEncryptionKeys keks;
    private final DeliveryObserver observer;
    private final String owner;
    private final Clock clock;
    private volatile Duration maxAge = DEFAULT_MAX_AGE;
    private final Set<String> draining = ConcurrentHashMap.newKeySet();
    /** Per failing receiver: its failures in a row here, and the System.nanoTime before which it waits. */
    private final Map<String, Backoff> backoffs = new ConcurrentHashMap<>();
    private final AtomicBoolean roundPending = new AtomicBoolean();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            daemon("event-delivery"));
    private final ExecutorService pushers = Executors.newFixedThreadPool(PUSH_THREADS, daemon("event-push"));

    private record Backoff(int failures, long untilNanos) {
    }

    public EventDelivery(Transactions transactor, SecurityEventTokens tokens, EventPush push, KeyEncryptionKeys keks,
            DeliveryObserver observer, String owner, Clock clock) {
        this.transactor = transactor;
        this.tokens = tokens;
        this.push = push;
        this.keks = keks;
        this.observer = observer;
        this.owner = owner;
        this.clock = clock;
    }

    /** Sets {@code --event-delivery-max-age}: events older than this are dropped, undelivered. */
    public void maxAge(Duration maxAge) {
        this.maxAge = maxAge;
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::wake, 0, POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Looks at the outbox soon, on the worker's thread; returns at once (called after commits and by the feed). */
    public void wake() {
        if (roundPending.compareAndSet(false, true)) {
            try {
                scheduler.execute(this::round);
            } catch (RejectedExecutionException closed) {
                roundPending.set(false);
            }
        }
    }

    /** Events waiting, over every receiver: the backlog the metrics show. */
    public long backlog() {
        return transactor.read(tx -> tx.store(EventOutboxStore.class).backlog());
    }

    private void round() {
        roundPending.set(false);
        try {
            long now = System.nanoTime();
            for (String id : transactor.read(tx -> tx.store(EventReceiverStore.class)
                    .idsWithPendingUnleased(clock.instant()))) {
                Backoff backoff = backoffs.get(id);
                if ((backoff == null || now - backoff.untilNanos() >= 0) && draining.add(id)) {
                    pushers.execute(() -> drainSafely(id));
                }
            }
        } catch (RejectedExecutionException closing) {
            // closing: what is left stays in the outbox for the next start or another replica
        } catch (RuntimeException e) {
            LOG.warn("reading the event outbox failed, will retry: {}", e.getMessage());
        }
    }

    private void drainSafely(String id) {
        try {
            drain(id);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing: the lease expires, another replica carries on
            return;
        } catch (RuntimeException e) {
            LOG.warn("delivering events to receiver {} failed, will retry: {}", id, e.getMessage());
        } finally {
            draining.remove(id);
        }
        try {
            transactor.useTransaction(tx -> tx.store(EventReceiverStore.class).release(id, owner));
        } catch (RuntimeException e) {
            LOG.debug("releasing the lease of receiver {} failed; it expires by itself", id, e);
        }
    }

    /** Sends the receiver's events in order under its lease, until none is left or one must wait. */
    private void drain(String id) throws InterruptedException {
        while (!Thread.currentThread().isInterrupted()) {
            Instant now = clock.instant();
            Optional<Attempt> next = transactor.inTransaction(tx -> {
                EventReceiverStore receivers = tx.store(EventReceiverStore.class);
                if (!receivers.lease(id, owner, now, now.plus(LEASE))) {
                    return Optional.empty(); // another replica holds it
                }
                return receivers.findById(id).flatMap(receiver -> tx.store(EventOutboxStore.class).next(id)
                        .map(event -> new Attempt(receiver, event)));
            });
            if (next.isEmpty()) {
                return;
            }
            if (!attempt(next.get())) {
                return;
            }
        }
    }

    private record Attempt(EventReceiver receiver, PendingEvent event) {
    }

    /** One attempt at the receiver's next event; false when the receiver must wait before the next. */
    private boolean attempt(Attempt attempt) throws InterruptedException {
        PendingEvent event = attempt.event();
        String id = event.receiverId();
        Instant now = clock.instant();
        if (event.eventAt().plus(maxAge).isBefore(now)) {
            finish(event, now, "event expired undelivered after " + maxAge + " (" + event.attempts() + " attempts)",
                    DeliveryObserver.Outcome.EXPIRED);
            return true;
        }
        EventPush.Outcome outcome = push.push(attempt.receiver().endpointUrl(), authHeader(attempt.receiver()),
                tokens.sign(event, attempt.receiver().audience(), now));
        Instant after = clock.instant();
        switch (outcome.kind()) {
            case ACCEPTED -> {
                finish(event, after, null, DeliveryObserver.Outcome.DELIVERED);
                backoffs.remove(id);
                return true;
            }
            case REFUSED -> {
                finish(event, after, "event " + event.eventId() + " refused: " + outcome.detail(),
                        DeliveryObserver.Outcome.REFUSED);
                return true;
            }
            default -> {
                transactor.useTransaction(tx -> {
                    tx.store(EventOutboxStore.class).countAttempt(id, event.sequence());
                    tx.store(EventReceiverStore.class).recordFailure(id, after, outcome.detail(), true);
                });
                observer.attempted(DeliveryObserver.Outcome.RETRIED);
                backOff(id);
                return false;
            }
        }
    }

    /** Removes the event and records how it ended ({@code failure} null: accepted), in one transaction. */
    private void finish(PendingEvent event, Instant at, String failure, DeliveryObserver.Outcome outcome) {
        transactor.useTransaction(tx -> {
            tx.store(EventOutboxStore.class).remove(event.receiverId(), event.sequence());
            EventReceiverStore receivers = tx.store(EventReceiverStore.class);
            if (failure == null) {
                receivers.recordSuccess(event.receiverId(), at);
            } else {
                // A refused or expired event is over: the next one starts a new count of failures.
                receivers.recordFailure(event.receiverId(), at, failure, false);
            }
        });
        observer.attempted(outcome);
    }

    private void backOff(String id) {
        Backoff previous = backoffs.get(id);
        int failures = previous == null ? 1 : previous.failures() + 1;
        long cap = MAX_BACKOFF.toNanos();
        long delay = Math.min(cap, INITIAL_BACKOFF.toNanos() << Math.min(failures - 1, 20));
        // Full jitter over the upper half, so replicas and receivers failing together spread out.
        long jittered = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        backoffs.put(id, new Backoff(failures, System.nanoTime() + jittered));
        try {
            scheduler.schedule(this::wake, jittered, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            // closing
        }
    }

    private String authHeader(EventReceiver receiver) {
        return receiver.authHeader() == null ? null
                : new String(keks.open(EventReceivers.sealingLabel(receiver.id()), receiver.authHeader()),
                        StandardCharsets.UTF_8);
    }

    /** Stops pushing; what is left stays in the outbox for the next start or another replica. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        pushers.shutdownNow();
        try {
            pushers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
