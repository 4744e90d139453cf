package dev.tokenauthority.authority.config;

import dev.tokenauthority.authority.crypto.PasswordHashPool;
import dev.tokenauthority.authority.crypto.PasswordHasher;
import dev.tokenauthority.authority.keys.KeyEncryptionException;
import dev.tokenauthority.authority.keys.KeyEncryptionKeys;
import dev.tokenauthority.authority.login.LoginLimits;
import dev.tokenauthority.authority.metrics.AuthorityMetrics;
import dev.tokenauthority.authority.metrics.MetricsListener;
import dev.tokenauthority.authority.retention.TokenRetention;
import dev.tokenauthority.authority.server.Authority;
import dev.tokenauthority.authority.server.AuthorityServer;
import dev.tokenauthority.authority.server.Housekeeping;
import dev.tokenauthority.authority.server.ReplicaRole;
import dev.tokenauthority.authority.storage.Database;
import dev.tokenauthority.authority.token.TokenPolicy;
import dev.tokenauthority.authority.user.UserStore;
import dev.tokenauthority.authority.web.WebListener;
import dev.tokenauthority.authority.web.WebOptions;
import dev.tokenauthority.cli.DurationConverter;
import dev.tokenauthority.cli.ListenerCredentials;
import dev.tokenauthority.cli.Listening;
import dev.tokenauthority.cli.LogFormat;
import dev.tokenauthority.cli.LogFormatConverter;
import dev.tokenauthority.cli.SecretFile;
import dev.tokenauthority.cli.StartupRefusal;
import dev.tokenauthority.cli.Verbosity;
import io.grpc.Grpc;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the authority: migrates the database, loads keys, serves gRPC until SIGTERM. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the authority's gRPC server.")
public final class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = "--grpc-port", defaultValue = "7070", description = "gRPC port (default ${DEFAULT-VALUE}).")
    int grpcPort;

    @Option(names = "--web-port", defaultValue = "7080",
            description = "gRPC-web listener and admin console at /admin/; 0 turns it off (default ${DEFAULT-VALUE}).")
    int webPort;

    @Option(names = "--web-allowed-origin", split = ",", paramLabel = "ORIGIN",
            description = "Origin (scheme://host[:port]) allowed to call the web port cross-origin, with cookies; "
                    + "repeatable or comma-separated. The console's own origin is always allowed.")
    List<String> webAllowedOrigins;

    @Option(names = "--web-console-origin", paramLabel = "ORIGIN",
            description = "The origin (scheme://host[:port]) browsers load the admin console from, when a reverse "
                    + "proxy serves it under another scheme or host than the web port's own (default: the web port's "
                    + "own origin). Only the console's origin may use cookie mode for the admin clients.")
    String webConsoleOrigin;

    @Option(names = "--web-trusted-proxy", split = ",", paramLabel = "CIDR",
            description = "Reverse proxies (CIDR blocks, e.g. 10.0.0.0/8) in front of the web port whose Forwarded or "
                    + "X-Forwarded-For header names the caller, for audit and the login throttle; repeatable or "
                    + "comma-separated (default: none; every caller is its TCP peer and such headers are ignored).")
    List<String> webTrustedProxies;

    @Option(names = "--web-insecure-cookies",
            description = "Dev only: no Secure attribute (and so the plain name ta_refresh instead of __Host-ta_refresh) "
                    + "on the refresh cookie for requests to localhost over plain HTTP.")
    boolean webInsecureCookies;

    @Option(names = "--log-format", defaultValue = "text", converter = LogFormatConverter.class,
            description = "text or json (one JSON object per line) on standard error (default ${DEFAULT-VALUE}).")
    LogFormat logFormat;

    @Option(names = "--metrics-port", defaultValue = "0",
            description = "Prometheus metrics on http://<host>:N/metrics (default ${DEFAULT-VALUE}: off).")
    int metricsPort;

    @Mixin
    StorageOptions storage;

    @Mixin
    Verbosity verbosity;

    @Option(names = "--db-pool-size", defaultValue = "16", description = "Maximum database connections (default ${DEFAULT-VALUE}).")
    int dbPoolSize;

    @Option(names = "--issuer", defaultValue = "http://localhost:7070", description = "The iss of every token (default ${DEFAULT-VALUE}).")
    String issuer;

    @Option(names = "--max-access-token-ttl", defaultValue = "1h", converter = DurationConverter.class,
            description = "Cap on any client's access-token lifetime (default ${DEFAULT-VALUE}).")
    Duration maxAccessTokenTtl;

    @Option(names = "--clock-skew", defaultValue = "30s", converter = DurationConverter.class,
            description = "Clock skew tolerated when checking token times (default ${DEFAULT-VALUE}).")
    Duration clockSkew;

    @Option(names = "--signing-key-max-age", defaultValue = "30d", converter = DurationConverter.class,
            description = "Rotate the signing key automatically when older (default ${DEFAULT-VALUE}).")
    Duration signingKeyMaxAge;

    @Option(names = "--token-retention", defaultValue = "30d", converter = DurationConverter.class,
            description = "How long the rows of ended sessions and expired tokens are kept, for administrators, "
                    + "before housekeeping deletes them (default ${DEFAULT-VALUE}); audit events are kept regardless.")
    Duration tokenRetention;

    @Option(names = "--event-delivery-max-age", defaultValue = "24h", converter = DurationConverter.class,
            description = "How long a revocation event is retried for its receiver before it is dropped, "
                    + "undelivered (default ${DEFAULT-VALUE}).")
    Duration eventDeliveryMaxAge;

    @Option(names = "--tls-cert", description = "PEM certificate chain; with --tls-key turns on TLS.")
    Path tlsCert;

    @Option(names = "--tls-key", description = "PEM private key (PKCS#8) for --tls-cert.")
    Path tlsKey;

    @Option(names = "--tls-client-ca", description = "PEM CA bundle; when set, clients must present a certificate it signed (mTLS).")
    Path tlsClientCa;

    @Option(names = "--bootstrap-admin-email", description = "Create this admin on an empty database.")
    String bootstrapAdminEmail;

    @Option(names = "--bootstrap-admin-password-file", description = "File holding the bootstrap admin's password.")
    Path bootstrapAdminPasswordFile;

    @Option(names = "--demo", description = "Seed demo clients and users (idempotent) and print what to try next.")
    boolean demo;

    @Option(names = "--feed-only",
            description = "Serve only the revocation feed and the JWK set from a PostgreSQL hot standby (--db-url): "
                    + "no migrations, no writes, every other call refused; freshness vouched only as far as the "
                    + "standby has replayed the primary's beat.")
    boolean feedOnly;

    @Option(names = "--password-hash-threads", paramLabel = "N",
            description = "Threads hashing passwords (Argon2id, 19 MiB each) at once (default: one per core but one, at least 1).")
    Integer passwordHashThreads;

    @Option(names = "--password-hash-queue", paramLabel = "N",
            description = "Logins (and user creations) that may wait for a hashing thread; beyond them Login answers "
                    + "RESOURCE_EXHAUSTED at once (default: " + PasswordHashPool.Limits.DEFAULT_QUEUE_PER_THREAD
                    + " per hashing thread).")
    Integer passwordHashQueue;

    @Option(names = "--shutdown-grace", defaultValue = "20s", converter = DurationConverter.class,
            description = "How long SIGTERM lets in-flight calls finish; feed streams end at once, with UNAVAILABLE "
                    + "(default ${DEFAULT-VALUE}).")
    Duration shutdownGrace;

    @Override
    public Integer call() throws Exception {
        logFormat.apply();
        GracefulShutdown shutdown = GracefulShutdown.install();
        validate();
        String url = storage.url(); // refuses a URL of no supported database before anything else is asked of it
        WebOptions webOptions = webPort == 0 ? null : new WebOptions(webPort, WebOptions.listed(webAllowedOrigins),
                webInsecureCookies, tlsCert, tlsKey, tlsClientCa, webConsoleOrigin,
                WebOptions.listed(webTrustedProxies));
        storage.prepareDataDirectory();
        // A feed-only replica serves public keys only: it never reads the KEK, so it cannot open the signing keys.
        KeyEncryptionKeys keks = feedOnly ? KeyEncryptionKeys.none() : storage.keyEncryptionKeys();
        Clock clock = Clock.systemUTC();
        // A feed-only replica's standby is read-only: it checks the schema the primaries migrated instead.
        Database database = storage.open(dbPoolSize, !feedOnly);
        TokenPolicy policy = new TokenPolicy(issuer, maxAccessTokenTtl, clockSkew, signingKeyMaxAge);
        PrometheusRegistry metricsRegistry = new PrometheusRegistry();
        Authority authority = new Authority(database, policy, keks, new PasswordHasher(), passwordHashLimits(),
                LoginLimits.DEFAULTS, metricsRegistry, clock, feedOnly ? ReplicaRole.FEED_ONLY : ReplicaRole.PRIMARY);
        authority.eventDelivery().maxAge(eventDeliveryMaxAge);
        try {
            authority.start();
        } catch (KeyEncryptionException e) {
            database.close();
            throw new StartupRefusal(e.getMessage());
        }
        bootstrapAdmin(authority, clock);
        Path sidecarSecret = demo ? DemoData.seed(authority, storage.dataDir, clock) : null;
        storage.tightenDataDirectory();

        AuthorityServer server = Listening.on(AuthorityMain.flag("--grpc-port"), grpcPort, () -> new AuthorityServer(
                Grpc.newServerBuilderForPort(grpcPort, ListenerCredentials.of(tlsCert, tlsKey, tlsClientCa)), authority)
                .start());
        WebListener web = webOptions == null ? null
                : Listening.on(AuthorityMain.flag("--web-port"), webPort, () -> WebListener.start(webOptions, authority));
        if (metricsPort != 0) {
            AuthorityMetrics.registerJvmMetrics(metricsRegistry);
        }
        MetricsListener metrics = metricsPort == 0 ? null
                : Listening.on(AuthorityMain.flag("--metrics-port"), metricsPort, () -> MetricsListener.start(metricsPort, metricsRegistry));
        Housekeeping housekeeping = new Housekeeping(authority.signingKeys(), authority.loginThrottle(), authority.sessionRows(),
                new TokenRetention(authority.transactor(), tokenRetention, clock),
                authority.transactor(), clock);
        if (!feedOnly) {
            housekeeping.start(Duration.ofMinutes(1));
        }
        shutdown.whenServing(() -> {
            LOG.info("shutting down: feed streams end now, in-flight calls have up to {}", shutdownGrace);
            // Both listeners refuse new calls at once; the gRPC server ends the feed streams first, then both
            // drain their in-flight calls within the one grace; the authority (its feed, its hash pool) closes
            // only after them.
            CompletableFuture<Void> webStopped = web == null ? CompletableFuture.completedFuture(null) : web.stopAsync();
            long deadline = System.nanoTime() + shutdownGrace.toNanos();
            try {
                server.stop(shutdownGrace);
                webStopped.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("the web listener's calls did not finish within the grace: {}", e.toString());
            }
            authority.close();
            housekeeping.close();
            if (metrics != null) {
                metrics.close();
            }
            database.close();
            LOG.info("shut down");
        });
        LOG.info("authority listening on port {} ({}{}), database {}", server.port(),
                tlsCert == null ? "plaintext" : tlsClientCa == null ? "TLS" : "mTLS", feedOnly ? ", feed-only" : "",
                StorageOptions.redact(url));
        if (web != null) {
            LOG.info("gRPC-web listener on port {}, admin console at {}://localhost:{}/admin/", web.port(),
                    tlsCert == null ? "http" : "https", web.port());
        }
        if (metrics != null) {
            LOG.info("Prometheus metrics at http://localhost:{}/metrics", metrics.port());
        }
        if (demo) {
            DemoInstructions.print(server.port(), web == null ? 0 : web.port(), sidecarSecret, issuer);
        }
        server.awaitTermination();
        return 0;
    }

    /** The hash pool's size: the flags, or one thread per core and the default queue. */
    PasswordHashPool.Limits passwordHashLimits() {
        PasswordHashPool.Limits defaults = passwordHashThreads == null ? PasswordHashPool.Limits.forThisMachine()
                : PasswordHashPool.Limits.withThreads(passwordHashThreads);
        return new PasswordHashPool.Limits(defaults.threads(),
                passwordHashQueue == null ? defaults.queue() : passwordHashQueue);
    }

    private void validate() {
        if (feedOnly && (storage.isEmbedded() || !storage.dbUrl.startsWith("jdbc:postgresql:"))) {
            throw new StartupRefusal("--feed-only serves the feed from a PostgreSQL hot standby that primary replicas "
                    + "beat into: set --db-url (TOKENAUTHORITY_DB_URL) to a jdbc:postgresql:// URL of the standby");
        }
        if (feedOnly && (demo || bootstrapAdminEmail != null)) {
            throw new StartupRefusal("--feed-only writes nothing: --demo and --bootstrap-admin-email belong on a "
                    + "primary replica");
        }
        if ((passwordHashThreads != null && passwordHashThreads < 1) || (passwordHashQueue != null && passwordHashQueue < 0)) {
            throw new StartupRefusal("--password-hash-threads must be at least 1 and --password-hash-queue "
                    + "at least 0");
        }
        if (metricsPort < 0 || metricsPort > 65_535) {
            throw new StartupRefusal("--metrics-port must be 0 (off) or a port number");
        }
        requirePositive("--max-access-token-ttl", maxAccessTokenTtl);
        requirePositive("--signing-key-max-age", signingKeyMaxAge);
        requirePositive("--token-retention", tokenRetention);
        requirePositive("--event-delivery-max-age", eventDeliveryMaxAge);
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new StartupRefusal("--tls-cert and --tls-key go together: give both, or neither for plaintext");
        }
        if (tlsClientCa != null && tlsCert == null) {
            throw new StartupRefusal("--tls-client-ca needs --tls-cert and --tls-key");
        }
        if ((bootstrapAdminEmail == null) != (bootstrapAdminPasswordFile == null)) {
            throw new StartupRefusal("--bootstrap-admin-email and --bootstrap-admin-password-file go together: "
                    + "give both, or neither");
        }
    }

    /** A duration flag that zero (or less) would make meaningless: every token expired, every key too old. */
    private static void requirePositive(String name, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new StartupRefusal(name + " must be positive, got " + value + " (" + AuthorityMain.flag(name).variable()
                    + " sets it too); e.g. " + name + " 30d");
        }
    }

    private void bootstrapAdmin(Authority authority, Clock clock) throws IOException {
        if (bootstrapAdminEmail == null) {
            return;
        }
        String password = SecretFile.read(AuthorityMain.flag("--bootstrap-admin-password-file"), bootstrapAdminPasswordFile);
        boolean created = authority.transactor().inTransaction(tx -> {
            if (tx.store(UserStore.class).count() > 0) {
                return false;
            }
            authority.userAccounts().create(tx, bootstrapAdminEmail, password, List.of("admin"), clock.instant());
            return true;
        });
        LOG.info(created ? "bootstrap admin {} created" : "database has users; bootstrap admin {} not created",
                bootstrapAdminEmail);
    }
}
