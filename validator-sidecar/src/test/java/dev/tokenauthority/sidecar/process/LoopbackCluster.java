package dev.tokenauthority.sidecar.process;

import static org.assertj.core.api.Assertions.fail;

import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.AuthServiceGrpc;
import dev.tokenauthority.api.v1.DenialReason;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.RevocationResult;
import dev.tokenauthority.api.v1.RevokeSessionRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.ValidateRequest;
import dev.tokenauthority.api.v1.ValidateResponse;
import dev.tokenauthority.api.v1.ValidatorServiceGrpc;
import dev.tokenauthority.authority.access.AdminAccess;
import dev.tokenauthority.authority.config.AuthorityMain;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.config.KeyEncryptionKeyFile;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.sidecar.SidecarMain;
import io.grpc.Channel;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Authorities and sidecars as child JVMs on loopback, with the gRPC channels a test talks to them
 * over. One per test; {@link #close()} (from {@code @AfterEach}) closes every channel and kills
 * every child still running, whatever the test did.
 */
final class LoopbackCluster implements AutoCloseable {

    static final String ISSUER = "https://authority.process.test";
    /** JVM boot, migrations, and for --demo hashing four passwords at production cost, on a loaded machine. */
    static final Duration STARTUP_LIMIT = Duration.ofSeconds(60);
    /**
     * How long a revocation, a resync or a reconnect may take to show. A revocation on a live stream takes well under
     * a second; a reconnect after an outage of a few seconds takes the feed client's backoff (at most 5 s) plus the
     * gRPC channel's own reconnect backoff, which grows with the outage (1 s, 1.6x, up to 120 s).
     */
    static final Duration PROPAGATION_LIMIT = Duration.ofSeconds(60);
    /** Deadline of one call; a login hashes a password at production cost. */
    private static final long CALL_SECONDS = 30;

    private final Path dir;
    private final List<ChildProcess> children = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<EpollEventLoopGroup> eventLoops = new ArrayList<>();

    LoopbackCluster(Path dir) {
        this.dir = dir;
    }

    /**
     * {@code serve} on {@code port}, its data directory {@code dataDir}, with the extra flags (database, --demo).
     * An authority given a {@code --db-url} (a shared PostgreSQL database) gets the cluster's one key-encryption
     * key, as every replica of a deployment must, except a {@code --feed-only} one, which reads public keys only
     * and is started without any; one on its data directory's database generates its own there.
     */
    AuthorityNode startAuthority(String name, int port, Path dataDir, List<String> flags) throws IOException {
        List<String> args = new ArrayList<>(List.of("serve", "--grpc-port", Integer.toString(port),
                "--data-dir", dataDir.toString(), "--issuer", ISSUER));
        if (!flags.contains("--web-port")) {
            args.addAll(List.of("--web-port", "0"));
        }
        if (flags.contains("--db-url") && !flags.contains("--key-encryption-key-file") && !flags.contains("--feed-only")) {
            args.addAll(List.of("--key-encryption-key-file", clusterKeyEncryptionKey().toString()));
        }
        args.addAll(flags);
        ChildProcess process = launch(name, AuthorityMain.class, args);
        process.awaitListening("authority listening on port", port, STARTUP_LIMIT);
        return new AuthorityNode(process, port, dataDir, flags, channel(port));
    }

    /** The same authority again (same port, data directory and database) after it stopped. */
    AuthorityNode restart(AuthorityNode stopped, String name) throws IOException {
        if (stopped.process.isAlive()) {
            throw new IllegalStateException(stopped.process.name() + " still runs");
        }
        return startAuthority(name, stopped.port, stopped.dataDir, stopped.flags);
    }

    /**
     * A sidecar following {@code authorityPort}, for the demo audience unless {@code flags} name audiences; {@code uds}
     * may be null. Returns once it listens, not once it serves.
     */
    SidecarNode startSidecar(String name, int authorityPort, Path secretFile, Path uds, List<String> flags)
            throws IOException {
        return startSidecar(name, List.of(authorityPort), secretFile, uds, flags);
    }

    /** A sidecar given every one of {@code authorityPorts}, in that order, as {@code --authority 127.0.0.1:P,...}. */
    SidecarNode startSidecar(String name, List<Integer> authorityPorts, Path secretFile, Path uds, List<String> flags)
            throws IOException {
        int port = ChildProcess.freePort();
        String authorities = String.join(",", authorityPorts.stream().map(p -> "127.0.0.1:" + p).toList());
        List<String> args = new ArrayList<>(List.of("--authority", authorities,
                "--grpc-port", Integer.toString(port), "--issuer", ISSUER,
                "--client-id", DemoData.SIDECAR_CLIENT, "--client-secret-file", secretFile.toString(),
                "--sidecar-id", name));
        if (!flags.contains("--audience") && !flags.contains("--any-audience")) {
            args.addAll(List.of("--audience", DemoData.AUDIENCE)); // the demo app's tokens
        }
        if (uds != null) {
            args.addAll(List.of("--uds", uds.toString()));
        }
        args.addAll(flags);
        ChildProcess process = launch(name, SidecarMain.class, args);
        process.awaitListening("validator sidecar listening on", port, STARTUP_LIMIT);
        return new SidecarNode(process, port, uds);
    }

    private Path clusterKeyEncryptionKey() throws IOException {
        Path file = dir.resolve("cluster.kek");
        if (!Files.exists(file)) {
            KeyEncryptionKeyFile.generate(file);
        }
        return file;
    }

    private ChildProcess launch(String name, Class<?> mainClass, List<String> args) throws IOException {
        ChildProcess process = ChildProcess.launch(dir, name, mainClass, args);
        children.add(process);
        return process;
    }

    private ManagedChannel channel(int port) {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port,
                InsecureChannelCredentials.create()).build();
        channels.add(channel);
        return channel;
    }

    private ManagedChannel udsChannel(Path socket) {
        EpollEventLoopGroup group = new EpollEventLoopGroup(1);
        eventLoops.add(group);
        ManagedChannel channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toFile()))
                .eventLoopGroup(group)
                .channelType(EpollDomainSocketChannel.class)
                .usePlaintext()
                .build();
        channels.add(channel);
        return channel;
    }

    @Override
    public void close() throws InterruptedException {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow();
        }
        for (ChildProcess child : children) {
            child.close();
        }
        for (ManagedChannel channel : channels) {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        }
        for (EpollEventLoopGroup group : eventLoops) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    /** An authority process and a plaintext channel to it. */
    static final class AuthorityNode {
        final ChildProcess process;
        final int port;
        final Path dataDir;
        private final List<String> flags;
        private final ManagedChannel channel;

        private AuthorityNode(ChildProcess process, int port, Path dataDir, List<String> flags, ManagedChannel channel) {
            this.process = process;
            this.port = port;
            this.dataDir = dataDir;
            this.flags = List.copyOf(flags);
            this.channel = channel;
        }

        /** The channel to this authority, for calls the helpers here do not make. */
        Channel channel() {
            return channel;
        }

        /** Where --demo wrote demo-sidecar's secret. */
        Path sidecarSecretFile() {
            return dataDir.resolve(DemoData.SECRET_FILE);
        }

        /** Logs in to the public demo app; a new session each time. */
        TokenPair login(String email) {
            return login(DemoData.APP_CLIENT, email);
        }

        /** An admin token: the demo administrator logged in to admin-cli. */
        String adminToken() {
            return login(AdminAccess.CLI_CLIENT, DemoData.ADMIN_EMAIL).getAccessToken();
        }

        private TokenPair login(String clientId, String email) {
            String password = email.equals(DemoData.ADMIN_EMAIL) ? DemoData.ADMIN_PASSWORD : DemoData.USER_PASSWORD;
            return AuthServiceGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS)
                    .login(LoginRequest.newBuilder().setClientId(clientId).setUsername(email)
                            .setPassword(password).build());
        }

        RevocationResult revokeSession(String adminToken, String sessionId) {
            return AdminServiceGrpc.newBlockingStub(channel).withInterceptors(AuthorityFixture.bearer(adminToken))
                    .withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS)
                    .revokeSession(RevokeSessionRequest.newBuilder().setSessionId(sessionId)
                            .setReason("process test").build());
        }
    }

    /** A sidecar process, reached over loopback TCP and, if it has one, its Unix socket. */
    final class SidecarNode {
        final ChildProcess process;
        final int port;
        private final Path uds;
        private final ManagedChannel channel;
        private ManagedChannel udsChannel;

        private SidecarNode(ChildProcess process, int port, Path uds) {
            this.process = process;
            this.port = port;
            this.uds = uds;
            this.channel = channel(port);
        }

        ValidateResponse validate(String token) {
            return validate(channel, token);
        }

        ValidateResponse validateOverUds(String token) {
            if (udsChannel == null) {
                udsChannel = udsChannel(uds);
            }
            return validate(udsChannel, token);
        }

        private static ValidateResponse validate(Channel channel, String token) {
            return ValidatorServiceGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS)
                    .validate(ValidateRequest.newBuilder().setToken(token).build());
        }

        /** grpc.health.v1 Check for the whole server; UNKNOWN when it cannot be reached. */
        ServingStatus health() {
            try {
                return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance()).getStatus();
            } catch (StatusRuntimeException e) {
                return ServingStatus.UNKNOWN;
            }
        }

        /** Waits (bounded) until health says SERVING: the first snapshot is applied and fresh. */
        void awaitServing() {
            process.await(STARTUP_LIMIT, process.name() + " to report SERVING", () -> health() == ServingStatus.SERVING);
        }

        /**
         * Polls Validate until it denies {@code token} for {@code reason}. Waiting for the reason, not for any denial,
         * keeps a FEED_STALE answer during a slow reconnect from passing for the revocation.
         */
        ValidateResponse awaitDenial(String token, DenialReason reason, String what) {
            return awaitValidation(token, what + " (" + reason + ")", r -> !r.getValid() && r.getReason() == reason);
        }

        /** Polls Validate until the answer satisfies {@code condition}, failing with the logs after the limit. */
        ValidateResponse awaitValidation(String token, String what, Predicate<ValidateResponse> condition) {
            AtomicReference<ValidateResponse> last = new AtomicReference<>();
            try {
                process.await(PROPAGATION_LIMIT, what, () -> {
                    last.set(validate(token));
                    return condition.test(last.get());
                });
            } catch (AssertionError e) {
                fail("%s; last answer: %s".formatted(e.getMessage(), last.get()), e);
            }
            return last.get();
        }
    }
}
