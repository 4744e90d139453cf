package dev.tokenauthority.authority.metrics;

import dev.tokenauthority.authority.events.DeliveryObserver;
import java.util.function.LongSupplier;

import dev.tokenauthority.authority.ConnectionPoolState;
import dev.tokenauthority.authority.TransactionTimer;
import dev.tokenauthority.authority.feed.FeedObserver;
import dev.tokenauthority.authority.feed.FeedSubscription;
import dev.tokenauthority.authority.feed.RevocationFeed;
import dev.tokenauthority.authority.feed.SharedSnapshots;
import dev.tokenauthority.authority.issuance.RefreshOutcome;
import dev.tokenauthority.authority.keys.SigningKeys;
import dev.tokenauthority.authority.login.LoginOutcome;
import dev.tokenauthority.authority.token.RevocationCounter;
import dev.tokenauthority.authority.token.RevocationKind;
import io.grpc.ServerInterceptor;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The authority's Prometheus metrics, all registered in the one registry the Authority is given
 * (served by {@link MetricsListener}). A new metric is a field built in the constructor and a
 * method that records it, or a class of its own in this package for a group of them. Label values are resolved
 * once up front where the set is known, so recording is one lock-free increment; no exemplars (there is no trace to
 * link them to). The domain hears of none of this: it reports through small interfaces it owns
 * ({@link LoginOutcome}, {@link RefreshOutcome}, {@link RevocationCounter}, {@link FeedObserver},
 * {@link TransactionTimer}), which this class implements with Prometheus types.
 */
public final class AuthorityMetrics {

    private final PrometheusRegistry registry;
    private final Map<LoginOutcome, CounterDataPoint> logins;
    private final Map<RefreshOutcome, CounterDataPoint> refreshes;
    private final Map<RevocationKind, CounterDataPoint> revocations;
    private final RpcMetrics rpcs;
    private final FeedMetrics feed;
    private final DatabaseMetrics database;
    private final EventDeliveryMetrics events;

    public AuthorityMetrics(PrometheusRegistry registry) {
        this.registry = registry;
        this.rpcs = new RpcMetrics(registry);
        this.feed = new FeedMetrics(registry);
        this.database = new DatabaseMetrics(registry);
        this.events = new EventDeliveryMetrics(registry);
        this.logins = countedBy(Counter.builder()
                .name("tokenauthority_logins_total")
                .help("Password logins by outcome: success, bad_credentials (unknown account or wrong password), "
                        + "throttled (refused before hashing), disabled (right password, disabled account), "
                        + "overloaded (refused at once: every password-hashing place was taken)")
                .labelNames("outcome"), LoginOutcome.class, AuthorityMetrics::lowerCase);
        this.refreshes = countedBy(Counter.builder()
                .name("tokenauthority_refreshes_total")
                .help("Refresh-token presentations by outcome: rotated, grace_retry, reuse_detected (the session was "
                        + "revoked), or a refusal: unknown, expired, revoked, suspended, no_access_left, grace_refused")
                .labelNames("outcome"), RefreshOutcome.class, AuthorityMetrics::lowerCase);
        this.revocations = countedBy(Counter.builder()
                .name("tokenauthority_revocations_total")
                .help("Revocation-log entries this replica committed, by kind: token, session, user (a force "
                        + "logout), everything (the global watermark), suspend, resume, signing_keys (a key-set change)")
                .labelNames("kind"), RevocationKind.class, AuthorityMetrics::revocationLabel);
    }

    /** Registers a counter with one label, and resolves its series for every value of {@code values} up front. */
    private <E extends Enum<E>> Map<E, CounterDataPoint> countedBy(Counter.Builder counter, Class<E> values,
            Function<E, String> label) {
        Counter registered = counter.withoutExemplars().register(registry);
        Map<E, CounterDataPoint> series = new EnumMap<>(values);
        for (E value : values.getEnumConstants()) {
            series.put(value, registered.labelValues(label.apply(value)));
        }
        return series;
    }

    private static String lowerCase(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static String revocationLabel(RevocationKind kind) {
        return switch (kind) {
            case TOKEN -> "token";
            case SESSION -> "session";
            case USER_WATERMARK -> "user";
            case GLOBAL_WATERMARK -> "everything";
            case SESSION_SUSPENDED -> "suspend";
            case SESSION_RESUMED -> "resume";
            case SIGNING_KEYS -> "signing_keys";
        };
    }

    /**
     * The JVM's own metrics (memory, GC, threads, classes, process) in {@code registry}. Only for the registry a
     * metrics port serves: they add listeners to the JVM's collectors that live as long as it does.
     */
    public static void registerJvmMetrics(PrometheusRegistry registry) {
        JvmMetrics.builder().register(registry);
    }

    /** Counts and times every call; applied on the gRPC port and the gRPC-web listener. */
    public ServerInterceptor rpcs() {
        return rpcs;
    }

    public void refresh(RefreshOutcome outcome) {
        refreshes.get(outcome).inc();
    }

    /** The {@link RevocationCounter} of the authority's revocation log. */
    public void revocationsCommitted(RevocationKind kind, int entries) {
        revocations.get(kind).inc(entries);
    }

    /** The {@link TransactionTimer} of the authority's transactor. */
    public TransactionTimer transactions() {
        return database;
    }

    /** The connection pool, read at scrape time, and the schema version the database was opened at. */
    public void database(Supplier<ConnectionPoolState> pool, String schemaVersion) {
        database.watch(pool, schemaVersion);
    }

    /** What the event delivery worker reports for each push. */
    public DeliveryObserver eventDeliveries() {
        return events;
    }

    /** The event outbox's backlog, read at scrape time. */
    public void eventBacklog(LongSupplier backlog) {
        EventDeliveryMetrics.watchBacklog(registry, backlog);
    }

    /** What the feed's subscriptions report for each message they send. */
    public FeedObserver feedObserver() {
        return feed;
    }

    /** The feed's head and its subscribers, read at scrape time. */
    public void feed(RevocationFeed revocationFeed, FeedSubscription subscriptions) {
        feed.watch(revocationFeed, subscriptions);
    }

    /**
     * The current signing key's age and the size of the published JWK set, read at scrape time. The age carries the
     * replica's {@code role}: only a primary rotates keys, so only a primary's age says whether rotation is failing
     * (a feed-only replica's set is what its standby last replayed, and an idle one may hold an old view of it).
     */
    public void signingKeys(SigningKeys keys, boolean primary) {
        String roleLabel = primary ? "primary" : "feed-only";
        GaugeWithCallback.builder()
                .name("tokenauthority_signing_key_age_seconds")
                .help("Seconds since the current signing key was created; rotation is due past --signing-key-max-age "
                        + "(role primary: only primaries rotate)")
                .labelNames("role")
                .callback(callback -> keys.currentKeyAge().ifPresent(age -> callback.call(seconds(age), roleLabel)))
                .register(registry);
        GaugeWithCallback.builder()
                .name("tokenauthority_signing_keys_published")
                .help("Keys in the published JWK set: the current one and retired ones whose tokens may still be alive")
                .callback(callback -> callback.call(keys.published().size()))
                .register(registry);
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    /**
     * The feed's shared (hashed) snapshots: how many were built, how many handed out, and the size of the last. Full
     * snapshots, read for each subscriber that does not ask for the hashed form, are not counted.
     */
    public void feedSnapshots(SharedSnapshots snapshots) {
        CounterWithCallback.builder()
                .name("tokenauthority_feed_snapshots_built_total")
                .help("Feed snapshots read from the log and encoded once, to be shared by every subscriber needing one")
                .callback(callback -> callback.call(snapshots.encodedCount()))
                .register(registry);
        CounterWithCallback.builder()
                .name("tokenauthority_feed_snapshots_handed_out_total")
                .help("Shared feed snapshots handed to subscribers that needed one (before sending; a subscriber that "
                        + "leaves meanwhile is counted); the ratio to the built ones is the sharing")
                .callback(callback -> callback.call(snapshots.handedOutCount()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("tokenauthority_feed_snapshot_bytes")
                .help("Size on the wire of the last shared feed snapshot built, in bytes")
                .callback(callback -> callback.call(snapshots.lastBytes()))
                .register(registry);
    }

    public void login(LoginOutcome outcome) {
        logins.get(outcome).inc();
    }

    public PrometheusRegistry registry() {
        return registry;
    }
}
