package dev.tokenauthority.authority.client;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.Transactions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the revocation-feed streams of clients that lost the right to them: secret rotated,
 * {@code feed:subscribe} removed, client disabled or deleted. A stream is authenticated once,
 * when it opens, and may then live for days; without this a sidecar whose credentials an
 * administrator revoked would keep following the feed.
 *
 * <p><b>Cost.</b> Streams are indexed by client id; one check reads every client with an open
 * stream in one query ({@code client_id = ANY(...)}), whatever the number of streams (a thousand
 * sidecars usually share a handful of clients), and compares each stream's credentials in
 * memory. Nothing runs per stream per second.
 *
 * <p><b>Delay.</b> The client administration of this replica signals every change it commits
 * ({@link #recheck}), so a change made here ends the streams here at once (one query on the
 * timer thread, after the commit). Streams held by other replicas are ended by the periodic
 * check, at most {@link #DEFAULT_RECHECK_INTERVAL} (plus one query) after the change commits.
 *
 * <p>Streams authenticated by a client certificate (mTLS, no client id) are not tracked: the
 * certificate, not a stored secret, is their credential.
 */
public final class SubscriberAccess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriberAccess.class);

    /** How often every open stream's client is read again: the bound on the delay at other replicas. */
    public static final Duration DEFAULT_RECHECK_INTERVAL = Duration.ofSeconds(5);

    /** What ends one stream, with the error its subscriber receives (UNAUTHENTICATED or PERMISSION_DENIED). */
    @FunctionalInterface
    public interface StreamEnd {
        void end(AuthorityException refusal);
    }

    /** A tracked stream; closing it stops tracking. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** One open stream: the client's id and the secret hash it authenticated with. */
    private record OpenStream(String clientId, String secretHash, StreamEnd end) {
    }

    private final Transactions transactor;
    private final Duration interval;
    private final Map<String, Set<OpenStream>> streams = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "feed-subscriber-access");
        t.setDaemon(true);
        return t;
    });

    public SubscriberAccess(Transactions transactor, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive");
        }
        this.transactor = transactor;
        this.interval = interval;
    }

    public void start() {
        long millis = interval.toMillis();
        timer.scheduleWithFixedDelay(this::recheckAll, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Tracks a stream of {@code client}, as authenticated when it opened; {@code end} is called
     * at most once, from the checking thread. Close the result when the stream ends.
     */
    public Registration open(Client client, StreamEnd end) {
        OpenStream stream = new OpenStream(client.clientId(), client.secretHash(), end);
        streams.computeIfAbsent(client.clientId(), id -> ConcurrentHashMap.newKeySet()).add(stream);
        return () -> remove(stream);
    }

    /** Checks the streams of one client soon, off the caller's thread; called after a change to it commits. */
    public void recheck(String clientId) {
        if (streams.containsKey(clientId)) {
            try {
                timer.execute(() -> check(List.of(clientId)));
            } catch (RejectedExecutionException e) {
                // Shutting down: the streams are ending anyway, and the change has committed.
            }
        }
    }

    /** Checks every open stream now; what the timer runs. */
    void recheckAll() {
        check(List.copyOf(streams.keySet()));
    }

    /** How many streams are tracked, for tests. */
    int openStreams() {
        return streams.values().stream().mapToInt(Set::size).sum();
    }

    private void check(List<String> clientIds) {
        if (clientIds.isEmpty()) {
            return;
        }
        Map<String, Client> current;
        try {
            current = transactor.read(tx -> tx.store(ClientStore.class).findByIds(clientIds)).stream()
                    .collect(Collectors.toMap(Client::clientId, Function.identity()));
        } catch (RuntimeException e) {
            // The database is unreachable: keep the streams (they serve what was committed) and try again.
            LOG.warn("could not re-check feed subscribers' clients: {}", e.getMessage());
            return;
        }
        for (String clientId : clientIds) {
            Set<OpenStream> open = streams.getOrDefault(clientId, Set.of());
            for (OpenStream stream : open) {
                refusal(stream, Optional.ofNullable(current.get(clientId))).ifPresent(refusal -> {
                    remove(stream);
                    LOG.info("ending a feed stream of client {}: {}", clientId, refusal.getMessage());
                    try {
                        stream.end().end(refusal);
                    } catch (RuntimeException e) {
                        // The stream closed meanwhile; an exception here would also cancel the periodic check.
                        LOG.debug("feed stream of client {} was already closed: {}", clientId, e.getMessage());
                    }
                });
            }
        }
    }

    /** Why the stream's client may no longer subscribe; empty if it still may. */
    private static Optional<AuthorityException> refusal(OpenStream stream, Optional<Client> current) {
        if (current.isEmpty()) {
            return Optional.of(AuthorityException.unauthenticated("the client was deleted"));
        }
        Client client = current.get();
        if (client.disabled()) {
            return Optional.of(AuthorityException.unauthenticated("the client was disabled"));
        }
        if (!Objects.equals(client.secretHash(), stream.secretHash())) {
            return Optional.of(AuthorityException.unauthenticated("the client's secret was rotated"));
        }
        if (!client.hasPermission(Client.SUBSCRIBE_FEED)) {
            return Optional.of(AuthorityException.permissionDenied("client lacks permission " + Client.SUBSCRIBE_FEED));
        }
        return Optional.empty();
    }

    private void remove(OpenStream stream) {
        streams.computeIfPresent(stream.clientId(), (id, open) -> {
            open.remove(stream);
            return open.isEmpty() ? null : open;
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
