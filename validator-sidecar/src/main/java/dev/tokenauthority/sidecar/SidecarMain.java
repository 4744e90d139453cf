package dev.tokenauthority.sidecar;

import dev.tokenauthority.cli.DurationConverter;
import dev.tokenauthority.cli.EnvironmentDefaults;
import dev.tokenauthority.cli.Flag;
import dev.tokenauthority.cli.ListenerCredentials;
import dev.tokenauthority.cli.LogFormat;
import dev.tokenauthority.cli.Listening;
import dev.tokenauthority.cli.LogFormatConverter;
import dev.tokenauthority.cli.SecretFile;
import dev.tokenauthority.cli.StartupFailures;
import dev.tokenauthority.cli.Verbosity;
import dev.tokenauthority.sidecar.server.ExtAuthzGrpcService;
import dev.tokenauthority.sidecar.server.StalePolicy;
import dev.tokenauthority.sidecar.validation.AcceptedAudiences;
import dev.tokenauthority.sidecar.validation.ValidatorSettings;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code java -jar validator-sidecar.jar --authority host:port --issuer ... --client-id ... --client-secret-file F}. */
@Command(name = "validator-sidecar", mixinStandardHelpOptions = true,
        description = "Validates access tokens locally against a streamed copy of the authority's revocation state.")
public final class SidecarMain implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(SidecarMain.class);
    /** Every flag's environment variable starts so: {@code --issuer} is {@code TOKENAUTHORITY_SIDECAR_ISSUER}. */
    private static final String ENVIRONMENT_PREFIX = "TOKENAUTHORITY_SIDECAR_";

    @Option(names = "--authority", required = true, split = ",", paramLabel = "HOST:PORT",
            description = "An authority replica's gRPC address; repeatable or comma-separated. A name that resolves "
                    + "to several addresses counts as one replica per address.")
    List<String> authorities;

    @Option(names = "--failover-after", defaultValue = "5s", converter = DurationConverter.class,
            description = "Move to the next replica when the current one has vouched for nothing newer for this long "
                    + "(default ${DEFAULT-VALUE}). Keep it below --max-staleness.")
    Duration failoverAfter;

    @Option(names = "--grpc-port", defaultValue = "7171", description = "Validate port (default ${DEFAULT-VALUE}).")
    int grpcPort;

    @Option(names = "--grpc-host", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}: loopback only).")
    String grpcHost;

    @Option(names = "--uds", description = "Also serve Validate on this Unix domain socket path.")
    Path uds;

    @Option(names = "--issuer", required = true, description = "The authority's issuer (iss) to accept.")
    String issuer;

    @Option(names = "--audience", split = ",", paramLabel = "AUDIENCE",
            description = "Accept tokens whose aud names any of these audiences; repeatable or comma-separated. "
                    + "Required unless --any-audience.")
    List<String> audiences;

    @Option(names = "--any-audience",
            description = "Accept tokens for every audience of the issuer (requests may still name one). "
                    + "The explicit opt-out from --audience.")
    boolean anyAudience;

    @Spec
    CommandSpec spec;

    @Option(names = "--client-id", required = true, description = "Client id holding feed:subscribe.")
    String clientId;

    @Option(names = "--client-secret-file", required = true, description = "File holding the client secret.")
    Path clientSecretFile;

    @Option(names = "--sidecar-id", description = "Name shown in the authority's logs and fleet listing, followed by "
            + "'/' and a random suffix per process, so that sidecars given one name stay apart (default: pid@host).")
    String sidecarId;

    @Option(names = "--max-staleness", defaultValue = "30s", converter = DurationConverter.class,
            description = "How old the revocation state may get before the sidecar counts as stale (default ${DEFAULT-VALUE}).")
    Duration maxStaleness;

    @Option(names = "--stale-policy", defaultValue = "fail-closed", converter = StalePolicyConverter.class,
            description = "fail-closed (deny with FEED_STALE) or fail-open (decide from the stale state) (default ${DEFAULT-VALUE}).")
    StalePolicy stalePolicy;

    @Option(names = "--clock-skew", defaultValue = "30s", converter = DurationConverter.class,
            description = "Tolerated clock difference for exp/nbf/iat (default ${DEFAULT-VALUE}).")
    Duration clockSkew;

    @Option(names = "--ext-authz-header-prefix", defaultValue = ExtAuthzGrpcService.DEFAULT_HEADER_PREFIX,
            description = "Prefix of the headers Envoy's ext_authz Check adds for the upstream: <prefix>subject, "
                    + "<prefix>client-id, <prefix>scopes, <prefix>session-id (default ${DEFAULT-VALUE}).")
    String extAuthzHeaderPrefix;

    @Option(names = "--cache-capacity", defaultValue = "100000", description = "Verified tokens kept in memory (default ${DEFAULT-VALUE}).")
    int cacheCapacity;

    @Option(names = "--log-format", defaultValue = "text", converter = LogFormatConverter.class,
            description = "text or json (one JSON object per line) on standard error (default ${DEFAULT-VALUE}).")
    LogFormat logFormat;

    @Option(names = "--metrics-port", defaultValue = "0", description = "Prometheus metrics on http://<grpc-host>:N/metrics (default 0: off).")
    int metricsPort;

    @Option(names = "--tls-cert", description = "PEM certificate chain for the Validate listener.")
    Path tlsCert;

    @Option(names = "--tls-key", description = "PEM PKCS#8 key for --tls-cert.")
    Path tlsKey;

    @Option(names = "--tls-client-ca", description = "Require client certificates signed by this CA (mTLS).")
    Path tlsClientCa;

    @Option(names = "--authority-tls", description = "Connect to the authority over TLS (system trust roots unless --authority-ca).")
    boolean authorityTls;

    @Option(names = "--authority-ca", description = "PEM CA that signed the authority's certificate.")
    Path authorityCa;

    @Option(names = "--authority-client-cert", description = "PEM client certificate for mTLS to the authority.")
    Path authorityClientCert;

    @Option(names = "--authority-client-key", description = "PEM PKCS#8 key for --authority-client-cert.")
    Path authorityClientKey;

    @Mixin
    Verbosity verbosity;

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /**
     * The command with its defaults read from {@code environment} (TOKENAUTHORITY_SIDECAR_*); a failure to start ends
     * it with one line and exit status 2 (see {@link StartupFailures}).
     */
    static CommandLine commandLine(Map<String, String> environment) {
        return StartupFailures.install(new CommandLine(new SidecarMain())
                .setDefaultValueProvider(new EnvironmentDefaults(ENVIRONMENT_PREFIX, environment)));
    }

    @Override
    public Integer call() throws Exception {
        logFormat.apply();
        AcceptedAudiences accepted = acceptedAudiences();
        String secret = SecretFile.read(flag("--client-secret-file"), clientSecretFile);
        AuthorityChannels channels = authorityChannels();
        ValidatorSettings validatorSettings = ValidatorSettings.forIssuer(issuer, accepted)
                .withClockSkew(clockSkew).withCacheCapacity(cacheCapacity);
        Sidecar.Settings settings = new Sidecar.Settings(validatorSettings, sidecarId(), clientId, secret,
                maxStaleness, stalePolicy, failoverAfter, extAuthzHeaderPrefix);
        Sidecar sidecar = Listening.on(flag("--grpc-port"), grpcPort,
                () -> new Sidecar(settings, channels.replicas(), listeners(), Clock.systemUTC()).start());
        HTTPServer metricsServer = metricsPort == 0 ? null : Listening.on(flag("--metrics-port"), metricsPort,
                () -> HTTPServer.builder().hostname(grpcHost).port(metricsPort).registry(sidecar.metrics().registry())
                        .buildAndStart());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                sidecar.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (metricsServer != null) {
                metricsServer.close();
            }
            channels.close();
        }, "shutdown"));
        LOG.info("validator sidecar listening on {}:{}{}, following {} (audiences {}, max staleness {}, {})", grpcHost,
                sidecar.server().port(), uds == null ? "" : " and " + uds, String.join(",", channels.names()),
                accepted.anyAudience() ? "any" : String.join(",", new TreeSet<>(accepted.names())), maxStaleness,
                stalePolicy.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        sidecar.server().awaitTermination();
        return 0;
    }

    /**
     * The audiences from --audience or --any-audience, exactly one of which is required: a sidecar that silently
     * accepted every audience would let a token minted for one service pass at every other service of the issuer.
     */
    AcceptedAudiences acceptedAudiences() {
        List<String> names = audiences == null ? List.of() : audiences.stream().map(String::strip).toList();
        if (anyAudience && !names.isEmpty()) {
            throw new ParameterException(spec.commandLine(),
                    "--audience and --any-audience exclude each other: name the audiences, or accept any");
        }
        if (anyAudience) {
            return AcceptedAudiences.any();
        }
        if (names.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "an audience is required: --audience NAME (repeatable "
                    + "or comma-separated, or TOKENAUTHORITY_SIDECAR_AUDIENCE), or --any-audience to accept tokens "
                    + "for every audience");
        }
        if (names.contains("")) {
            throw new ParameterException(spec.commandLine(), "--audience: empty audience name in " + audiences);
        }
        return AcceptedAudiences.anyOf(names);
    }

    /** One channel per replica named by --authority (see {@link AuthorityChannels}), and --failover-after checked. */
    AuthorityChannels authorityChannels() throws Exception {
        if (failoverAfter.isNegative() || failoverAfter.isZero()) {
            throw new ParameterException(spec.commandLine(), "--failover-after must be positive, got " + failoverAfter);
        }
        if (failoverAfter.compareTo(maxStaleness) >= 0) {
            LOG.warn("--failover-after {} is not below --max-staleness {}: the state can go stale before a silent "
                    + "replica is left", failoverAfter, maxStaleness);
        }
        try {
            return new AuthorityChannels(authorities, ListenerCredentials.client(authorityTls, authorityCa,
                    authorityClientCert, authorityClientKey));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private List<ServerBuilder<?>> listeners() throws Exception {
        List<ServerBuilder<?>> listeners = new ArrayList<>();
        listeners.add(NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getByName(grpcHost), grpcPort),
                ListenerCredentials.of(tlsCert, tlsKey, tlsClientCa)));
        if (uds != null) {
            Files.deleteIfExists(uds);
            listeners.add(NettyServerBuilder.forAddress(new DomainSocketAddress(uds.toFile()),
                            InsecureServerCredentials.create())
                    .channelType(EpollServerDomainSocketChannel.class)
                    .bossEventLoopGroup(new EpollEventLoopGroup(1))
                    .workerEventLoopGroup(new EpollEventLoopGroup()));
        }
        return listeners;
    }

    private static Flag flag(String name) {
        return Flag.of(ENVIRONMENT_PREFIX, name);
    }

    private String sidecarId() {
        if (sidecarId != null) {
            return withInstance(sidecarId);
        }
        return ProcessHandle.current().pid() + "@" + hostName();
    }

    /**
     * An operator's name for this sidecar, made this process's own: every pod of a deployment may be given one
     * {@code --sidecar-id}, but the authority lists and counts sidecars by id (a shared one would be one row, and a
     * revocation's wait would count one of them for all).
     */
    static String withInstance(String name) {
        return name + "/" + String.format("%06x", new SecureRandom().nextInt(1 << 24));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown-host";
        }
    }

    /** Accepts fail-closed / fail-open (and the enum names). */
    static final class StalePolicyConverter implements CommandLine.ITypeConverter<StalePolicy> {
        @Override
        public StalePolicy convert(String value) {
            return StalePolicy.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }
}
