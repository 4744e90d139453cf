package dev.tokenauthority.authority.server;

import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.activity.ActivityRecorder;
import dev.tokenauthority.authority.activity.ActivityReport;
import dev.tokenauthority.authority.admin.AdminAuthenticator;
import dev.tokenauthority.authority.admin.AdminRevocations;
import dev.tokenauthority.authority.api.ActivityAdminRpcs;
import dev.tokenauthority.authority.api.AdminCalls;
import dev.tokenauthority.authority.api.AdminGrpcService;
import dev.tokenauthority.authority.api.AuthGrpcService;
import dev.tokenauthority.authority.api.DirectoryAdminRpcs;
import dev.tokenauthority.authority.api.FleetAdminRpcs;
import dev.tokenauthority.authority.api.FeedOnlyCalls;
import dev.tokenauthority.authority.api.KeyGrpcService;
import dev.tokenauthority.authority.api.RevocationAdminRpcs;
import dev.tokenauthority.authority.api.HashedSnapshotEncoder;
import dev.tokenauthority.authority.api.RevocationFeedGrpcService;
import dev.tokenauthority.authority.api.TokenAdminRpcs;
import dev.tokenauthority.authority.audit.AuditListing;
import dev.tokenauthority.authority.audit.AuditLog;
import dev.tokenauthority.authority.client.AdminClients;
import dev.tokenauthority.authority.client.ClientAdministration;
import dev.tokenauthority.authority.client.ClientAuthenticator;
import dev.tokenauthority.authority.client.ClientRegistration;
import dev.tokenauthority.authority.client.SubscriberAccess;
import dev.tokenauthority.authority.crypto.PasswordHashPool;
import dev.tokenauthority.authority.crypto.PasswordHasher;
import dev.tokenauthority.authority.events.EventDelivery;
import dev.tokenauthority.authority.events.EventOutbox;
import dev.tokenauthority.authority.events.EventPush;
import dev.tokenauthority.authority.events.EventReceivers;
import dev.tokenauthority.authority.events.SecurityEventTokens;
import dev.tokenauthority.authority.feed.FeedBeat;
import dev.tokenauthority.authority.feed.FeedSubscription;
import dev.tokenauthority.authority.feed.LogReadTime;
import dev.tokenauthority.authority.feed.RevocationFeed;
import dev.tokenauthority.authority.feed.SharedSnapshots;
import dev.tokenauthority.authority.fleet.AppliedWait;
import dev.tokenauthority.authority.fleet.FleetLister;
import dev.tokenauthority.authority.fleet.SidecarFleet;
import dev.tokenauthority.authority.grant.GrantAdministration;
import dev.tokenauthority.authority.grant.Grants;
import dev.tokenauthority.authority.issuance.AccessTokenSigner;
import dev.tokenauthority.authority.issuance.RefreshTokenRotation;
import dev.tokenauthority.authority.issuance.SuccessorSecrets;
import dev.tokenauthority.authority.issuance.TokenIssuer;
import dev.tokenauthority.authority.issuance.TrustedIssuance;
import dev.tokenauthority.authority.api.EventReceiverAdminRpcs;
import dev.tokenauthority.authority.keys.JwsSigner;
import dev.tokenauthority.authority.keys.KeyEncryptionKeys;
import dev.tokenauthority.authority.keys.KeySetFreshness;
import dev.tokenauthority.authority.keys.SigningKeyRewrap;
import dev.tokenauthority.authority.keys.SigningKeys;
import dev.tokenauthority.authority.login.LoginLimits;
import dev.tokenauthority.authority.login.LoginThrottle;
import dev.tokenauthority.authority.login.PasswordLogin;
import dev.tokenauthority.authority.metrics.AuthorityMetrics;
import dev.tokenauthority.authority.revocation.Revocations;
import dev.tokenauthority.authority.revocation.SessionRowsFollower;
import dev.tokenauthority.authority.session.Logout;
import dev.tokenauthority.authority.session.MySessions;
import dev.tokenauthority.authority.session.SessionListing;
import dev.tokenauthority.authority.settings.SettingsAdministration;
import dev.tokenauthority.authority.storage.Database;
import dev.tokenauthority.authority.storage.PostgresWakeUp;
import dev.tokenauthority.authority.storage.Transactor;
import dev.tokenauthority.authority.token.RevocationKind;
import dev.tokenauthority.authority.token.RevocationLog;
import dev.tokenauthority.authority.token.TokenPolicy;
import dev.tokenauthority.authority.tokens.BulkRevocation;
import dev.tokenauthority.authority.tokens.TokenAdministration;
import dev.tokenauthority.authority.tokens.TokenExport;
import dev.tokenauthority.authority.tokens.TokenListing;
import dev.tokenauthority.authority.user.UserAccounts;
import dev.tokenauthority.authority.user.UserAdministration;
import dev.tokenauthority.authority.verification.AuthorityTokenVerifier;
import dev.tokenauthority.authority.verification.SessionOwnerAuthenticator;
import dev.tokenauthority.authority.verification.ClientTokenRevocation;
import dev.tokenauthority.authority.verification.TokenIntrospection;
import io.grpc.BindableService;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The authority's object graph, wired by hand: one database, one clock, one policy, the
 * key-encryption keys that seal the signing keys at rest. Tests build it with an in-memory
 * database and a controllable clock; {@code main} with the configuration.
 *
 * <p>A {@link ReplicaRole#FEED_ONLY} authority is the same graph writing nothing: it creates no
 * admin clients and no keys (it loads those the primary made), runs no LISTEN (not allowed on a
 * standby: it polls), writes no beat, and refuses every call but the feed's and the JWK set's
 * ({@link FeedOnlyCalls}). Its feed vouches as of the primary's last replayed beat.
 */
public final class Authority implements AutoCloseable {

    /** The feed's safety-net poll: the longest a revocation waits if no wake-up reaches it. */
    public static final Duration FEED_POLL_INTERVAL = Duration.ofMillis(100);
    /** How often an idle feed stream carries a heartbeat. */
    public static final Duration FEED_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);

    private final Database database;
    private final Transactions transactor;
    private final RevocationFeed feed;
    private final RevocationFeedGrpcService feedService;
    private final SubscriberAccess subscriberAccess;
    private final ReplicaRole role;
    private final Clock clock;
    private PostgresWakeUp postgresWakeUp;
    private FeedBeat feedBeat;
    private final SigningKeys signingKeys;
    private final SuccessorSecrets successorSecrets;
    private final UserAccounts userAccounts;
    private final ClientRegistration clientRegistration;
    private final LoginThrottle loginThrottle;
    private final SessionRowsFollower sessionRows;
    private final KeySetFreshness keySetFreshness;
    private final PasswordHashPool passwordHashing;
    private final AuthorityMetrics metrics;
    private final ActivityRecorder activity;
    private final SidecarFleet fleet;
    private final EventDelivery eventDelivery;
    private final KeyEncryptionKeys keks;
    private final DatabaseHealth databaseHealth;
    private final TokenPolicy policy;
    private final List<BindableService> services;
    private final List<BindableService> webServices;

    /** An authority whose metrics go to a registry of its own (tests that do not scrape them). */
    public Authority(Database database, TokenPolicy policy, KeyEncryptionKeys keks, PasswordHasher passwords,
            LoginLimits loginLimits, Clock clock) {
        this(database, policy, keks, passwords, loginLimits, new PrometheusRegistry(), clock);
    }

    /** An authority registering its metrics in {@code metricsRegistry}, the one the metrics port serves. */
    public Authority(Database database, TokenPolicy policy, KeyEncryptionKeys keks, PasswordHasher passwords,
            LoginLimits loginLimits, PrometheusRegistry metricsRegistry, Clock clock) {
        this(database, policy, keks, passwords, loginLimits, metricsRegistry, clock, ReplicaRole.PRIMARY);
    }

    /** An authority in the given role; see the class comment for what a feed-only one leaves out. */
    public Authority(Database database, TokenPolicy policy, KeyEncryptionKeys keks, PasswordHasher passwords,
            LoginLimits loginLimits, PrometheusRegistry metricsRegistry, Clock clock, ReplicaRole role) {
        this(database, policy, keks, passwords, PasswordHashPool.Limits.forThisMachine(), loginLimits,
                metricsRegistry, clock, role);
    }

    /** An authority hashing passwords on at most {@code hashLimits.threads()} threads (see {@link PasswordHashPool}). */
    public Authority(Database database, TokenPolicy policy, KeyEncryptionKeys keks, PasswordHasher passwords,
            PasswordHashPool.Limits hashLimits, LoginLimits loginLimits, PrometheusRegistry metricsRegistry,
            Clock clock, ReplicaRole role) {
        this.database = database;
        this.passwordHashing = new PasswordHashPool(passwords, hashLimits);
        this.role = role;
        this.clock = clock;
        this.policy = policy;
        this.databaseHealth = new DatabaseHealth(database, clock);
        this.metrics = new AuthorityMetrics(metricsRegistry);
        this.transactor = new Transactor(database, metrics.transactions());
        metrics.database(database::poolState, database.schemaVersion());
        AuditLog audit = new AuditLog();
        this.loginThrottle = new LoginThrottle(transactor, loginLimits, audit, clock);
        this.feed = new RevocationFeed(transactor, FEED_POLL_INTERVAL, clock,
                role == ReplicaRole.FEED_ONLY ? LogReadTime.replayedBeat(clock) : LogReadTime.clock(clock));
        this.activity = new ActivityRecorder(transactor, clock);
        RevocationLog revocationLog = new RevocationLog(feed::committed, (kind, entries) -> {
            metrics.revocationsCommitted(kind, entries);
            activity.revocationsCommitted(kind, entries);
        });
        this.signingKeys = new SigningKeys(transactor, revocationLog, audit, policy, keks, clock);
        metrics.signingKeys(signingKeys, role == ReplicaRole.PRIMARY);
        this.successorSecrets = new SuccessorSecrets(transactor, keks, clock);
        this.keks = keks;
        String replica = SidecarFleet.replicaName();
        this.eventDelivery = new EventDelivery(transactor,
                new SecurityEventTokens(new JwsSigner(signingKeys), policy.issuer()),
                new EventPush(EventPush.newClient()), keks, metrics.eventDeliveries(), replica, clock);
        metrics.eventBacklog(eventDelivery::backlog);
        feed.addListener(rows -> {
            if (rows.stream().anyMatch(row -> RevocationKind.SIGNING_KEYS.name().equals(row.kind()))) {
                signingKeys.keySetChanged();
            }
        });
        this.userAccounts = new UserAccounts(passwordHashing);
        this.clientRegistration = new ClientRegistration();
        if (role == ReplicaRole.PRIMARY) {
            AdminClients.ensureRegistered(transactor, clientRegistration, clock);
        }

        ClientAuthenticator clients = new ClientAuthenticator(transactor);
        this.keySetFreshness = role == ReplicaRole.FEED_ONLY
                ? KeySetFreshness.vouchMoving(feed::vouchMovedAt, clock) : KeySetFreshness.ALWAYS;
        this.sessionRows = new SessionRowsFollower(transactor, clock);
        Revocations revocations = new Revocations(revocationLog, audit, policy, clock, sessionRows,
                new EventOutbox(eventDelivery::wake));
        AccessTokenSigner signer = new AccessTokenSigner(signingKeys, policy.issuer());
        TokenIssuer issuer = new TokenIssuer(signer, policy, new Grants(), audit);
        AuthorityTokenVerifier verifier = new AuthorityTokenVerifier(
                signingKeys, policy, transactor, clock);
        AdminCalls adminCalls = new AdminCalls(new AdminAuthenticator(verifier, transactor));

        this.subscriberAccess = new SubscriberAccess(transactor, SubscriberAccess.DEFAULT_RECHECK_INTERVAL);
        SharedSnapshots sharedSnapshots = new SharedSnapshots(feed, signingKeys,
                new HashedSnapshotEncoder(signingKeys.maxAccessTokenLifetime()));
        metrics.feedSnapshots(sharedSnapshots);
        FeedSubscription subscriptions = new FeedSubscription(feed, signingKeys, FEED_HEARTBEAT_INTERVAL,
                sharedSnapshots, role == ReplicaRole.FEED_ONLY, metrics.feedObserver());
        metrics.feed(feed, subscriptions);
        this.fleet = new SidecarFleet(transactor, replica, role == ReplicaRole.PRIMARY, clock);
        this.feedService = new RevocationFeedGrpcService(subscriptions, clients, subscriberAccess, fleet);
        List<BindableService> web = List.of(
                new AuthGrpcService(
                        new PasswordLogin(transactor, clients, passwordHashing, loginThrottle, issuer, outcome -> {
                            metrics.login(outcome);
                            activity.login(outcome);
                        }, clock),
                        new RefreshTokenRotation(transactor, clients, issuer, successorSecrets, revocations, audit,
                                outcome -> {
                                    metrics.refresh(outcome);
                                    activity.refresh(outcome);
                                }, clock),
                        new Logout(transactor, revocations, clock),
                        new ClientTokenRevocation(transactor, clients, verifier, revocations, clock),
                        new TokenIntrospection(transactor, clients, verifier, policy, clock),
                        new TrustedIssuance(transactor, clients, issuer, clock),
                        new SessionOwnerAuthenticator(verifier),
                        new MySessions(transactor, new SessionListing(transactor, clock), revocations, clock)),
                new KeyGrpcService(signingKeys, keySetFreshness, new SigningKeyRewrap(transactor, keks, audit, clock),
                        adminCalls),
                adminService(adminCalls, revocations, revocationLog, audit, issuer, signer, policy, clock));
        List<BindableService> all = Stream.concat(Stream.of(feedService), web.stream()).toList();
        this.webServices = role == ReplicaRole.FEED_ONLY ? web.stream().map(FeedOnlyCalls::restrict).toList() : web;
        this.services = role == ReplicaRole.FEED_ONLY ? all.stream().map(FeedOnlyCalls::restrict).toList() : all;
    }

    private AdminGrpcService adminService(AdminCalls calls, Revocations revocations, RevocationLog revocationLog,
            AuditLog audit, TokenIssuer issuer, AccessTokenSigner signer, TokenPolicy policy, Clock clock) {
        AppliedWait sidecarsApplied = new AppliedWait(fleet);
        return new AdminGrpcService(
                new RevocationAdminRpcs(calls, new AdminRevocations(transactor, revocations, clock), sidecarsApplied),
                new TokenAdminRpcs(calls, new TokenListing(transactor, signer, clock),
                        new TokenAdministration(transactor, revocationLog, audit, policy, clock),
                        new BulkRevocation(transactor, revocations, clock),
                        new TokenExport(transactor, audit, clock), new SessionListing(transactor, clock),
                        sidecarsApplied, clock),
                new DirectoryAdminRpcs(calls,
                        new UserAdministration(transactor, userAccounts, revocations,
                                audit, clock),
                        new ClientAdministration(transactor, clientRegistration,
                                revocations, audit, policy.maxAccessTokenTtl(), clock, subscriberAccess::recheck),
                        new GrantAdministration(transactor, revocations, audit, clock),
                        new SettingsAdministration(transactor, audit,
                                policy.maxAccessTokenTtl(), clock),
                        new AuditListing(transactor), sidecarsApplied),
                new ActivityAdminRpcs(calls, new ActivityReport(transactor, activity, clock)),
                new FleetAdminRpcs(calls, new FleetLister(fleet, feed::publishedSequence)),
                new EventReceiverAdminRpcs(calls, new EventReceivers(transactor, keks, audit, clock)));
    }

    /**
     * Loads (or on first start creates) the signing keys and the refresh-token successor key, and
     * starts tailing the revocation log. A feed-only authority only loads the signing keys.
     */
    public void start() {
        databaseHealth.start();
        fleet.start();
        if (role == ReplicaRole.FEED_ONLY) {
            signingKeys.reload();
            feed.start();
            subscriberAccess.start();
            return;
        }
        signingKeys.initialize();
        successorSecrets.initialize();
        feed.start();
        subscriberAccess.start();
        if (database.dialect() == Database.Dialect.POSTGRESQL) {
            postgresWakeUp = new PostgresWakeUp(database::openDedicatedConnection, feed::wake);
            postgresWakeUp.start();
            feedBeat = new FeedBeat(transactor, clock);
            feedBeat.start();
        }
        sessionRows.wake(); // rows a crashed replica's force logouts left to follow
        // Events other replicas committed reach this one's feed too: a wake-up, not a wait on the feed's thread.
        feed.addListener(rows -> eventDelivery.wake());
        eventDelivery.start();
        activity.start();
    }

    /**
     * Ends every feed stream at once with UNAVAILABLE, telling its sidecar to go to another replica: a
     * stream never ends by itself, and a sidecar told nothing would wait for its failover bound.
     * Called when the server stops taking new calls, before it drains the unary ones.
     */
    public void endFeedStreams() {
        feedService.endStreams();
    }

    /** Stops the feed, its streams and the password hash pool; call once the server has drained its calls. */
    @Override
    public void close() {
        eventDelivery.close(); // what it has not pushed stays in the outbox
        activity.close(); // its last counts, while the database is still open
        sessionRows.close();
        databaseHealth.close();
        feedService.shutdown();
        fleet.close(); // after the streams: their sidecars are written as gone
        passwordHashing.close();
        subscriberAccess.close();
        feed.close();
        if (postgresWakeUp != null) {
            postgresWakeUp.close();
        }
        if (feedBeat != null) {
            feedBeat.close();
        }
    }

    public ReplicaRole role() {
        return role;
    }

    /** The revocation feed this authority streams (its vouch is what subscribers are fresh as of). */
    public RevocationFeed feed() {
        return feed;
    }

    /** Everything the gRPC port serves. */
    public List<BindableService> services() {
        return services;
    }

    /** What browsers reach over gRPC-web: AuthService, KeyService and AdminService (sidecars use the gRPC port). */
    public List<BindableService> webServices() {
        return webServices;
    }

    /** Whether the database answers: what health checks report. */
    public DatabaseHealth databaseHealth() {
        return databaseHealth;
    }

    /** The token policy: the issuer every token names, lifetimes and skew. */
    public TokenPolicy policy() {
        return policy;
    }

    public Transactions transactor() {
        return transactor;
    }

    /** Whether this replica may hand out its key set now (a feed-only replica's standby may lag). */
    public KeySetFreshness keySetFreshness() {
        return keySetFreshness;
    }

    public SigningKeys signingKeys() {
        return signingKeys;
    }

    public UserAccounts userAccounts() {
        return userAccounts;
    }

    public ClientRegistration clientRegistration() {
        return clientRegistration;
    }

    public LoginThrottle loginThrottle() {
        return loginThrottle;
    }

    /** Revokes the rows of force-logged-out sessions after the call; housekeeping drains it too. */
    public SessionRowsFollower sessionRows() {
        return sessionRows;
    }

    public AuthorityMetrics metrics() {
        return metrics;
    }

    /** The sidecars following this replica's feed, and what they acknowledge. */
    public SidecarFleet fleet() {
        return fleet;
    }

    /** Pushes revocation events to the registered receivers (a primary only). */
    public EventDelivery eventDelivery() {
        return eventDelivery;
    }

    /** This replica's activity counts, flushed to the database once a minute and on {@link #close}. */
    public ActivityRecorder activity() {
        return activity;
    }
}
