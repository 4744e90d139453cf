package dev.tokenauthority.sidecar.process;

import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_SESSION_REVOKED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.AuthServiceGrpc;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.RevocationFeedServiceGrpc;
import dev.tokenauthority.api.v1.SubscribeRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.sidecar.process.LoopbackCluster.AuthorityNode;
import dev.tokenauthority.sidecar.process.LoopbackCluster.SidecarNode;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to one of two authority replicas on one PostgreSQL database, with logins still in flight (over gRPC and
 * gRPC-web), a raw feed
 * subscriber and a sidecar on it: the feed streams end at once with UNAVAILABLE saying the replica shuts down, the
 * in-flight logins finish, new calls are refused, the process exits 0 within its grace, and the sidecar moves to the
 * other replica at once (its {@code --failover-after} is far longer than the test waits), resuming from its position.
 */
class ShutdownProcessTest {

    private static final Duration GRACE = Duration.ofSeconds(10);
    /** Far beyond anything the test waits: a move within it can only come from the stream's ending. */
    private static final Duration FAILOVER_AFTER = Duration.ofSeconds(60);
    /** How soon after SIGTERM the feed's subscribers must be told, on a loaded machine. */
    private static final Duration PROMPTLY = Duration.ofSeconds(3);
    /** Logins sent together just before SIGTERM: more than the hash pool's threads, so some wait in its queue. */
    private static final int IN_FLIGHT_LOGINS = 6;
    /** Of them, sent over gRPC-web to the web port (which must drain its calls too, not cut them short). */
    private static final int IN_FLIGHT_WEB_LOGINS = 2;
    /** Set, not the machine's default: with its queue, room for every login in flight. */
    private static final int HASH_THREADS = 2;

    @TempDir
    Path dir;

    private TestDatabase database;
    private LoopbackCluster cluster;

    @BeforeEach
    void createDatabase() {
        database = TestDatabase.postgres();
        cluster = new LoopbackCluster(dir);
    }

    @AfterEach
    void stop() throws InterruptedException {
        try {
            cluster.close();
        } finally {
            database.close();
        }
    }

    @Test
    void sigtermEndsFeedStreamsAtOnceDrainsInFlightCallsExitsZeroAndTheSidecarMovesToTheOtherReplica()
            throws Exception {
        List<String> db = List.of("--db-url", database.url(), "--db-user", database.user(),
                "--shutdown-grace", GRACE.toSeconds() + "s");
        int webPort = ChildProcess.freePort();
        AuthorityNode a = cluster.startAuthority("replica-a", ChildProcess.freePort(), dir.resolve("data-a"),
                concat(List.of("--demo", "--web-port", Integer.toString(webPort), "--password-hash-threads",
                        Integer.toString(HASH_THREADS)), db));
        AuthorityNode b = cluster.startAuthority("replica-b", ChildProcess.freePort(), dir.resolve("data-b"), db);
        SidecarNode sidecar = cluster.startSidecar("sidecar", List.of(a.port, b.port), a.sidecarSecretFile(), null,
                List.of("--failover-after", FAILOVER_AFTER.toSeconds() + "s", "--max-staleness", "120s"));
        sidecar.awaitServing();
        String admin = a.adminToken();
        TokenPair before = a.login(AuthorityFixture.ALICE);
        TokenPair after = a.login(AuthorityFixture.BOB);
        a.revokeSession(admin, before.getSessionId()); // a position to resume from
        sidecar.awaitDenial(before.getAccessToken(), DENIAL_REASON_SESSION_REVOKED, "a revocation on a");
        assertThat(sidecar.process.log()).contains("from 127.0.0.1:" + a.port);

        CompletableFuture<Status> streamEnd = subscribe(a, Files.readString(a.sidecarSecretFile()).strip());
        List<CompletableFuture<Status>> logins = new ArrayList<>();
        for (int i = 0; i < IN_FLIGHT_LOGINS; i++) {
            // Two accounts: the throttle lets at most 5 logins of one account check a password at once.
            String email = i % 2 == 0 ? AuthorityFixture.ALICE : AuthorityFixture.BOB;
            logins.add(i < IN_FLIGHT_WEB_LOGINS ? webLogin(webPort, email) : login(a, email));
        }
        // Once the first is answered the server has read them all (sent together, each costs a hash): the rest are
        // in flight, admitted and waiting for a hashing thread.
        CompletableFuture.anyOf(logins.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        long signalled = System.nanoTime();
        a.process.signalTerminate();
        Status ended = streamEnd.get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);
        Duration told = Duration.ofNanos(System.nanoTime() - signalled);
        assertThat(ended.getCode()).as("%s", ended).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(ended.getDescription()).startsWith("authority shutting down");
        assertThat(told).isLessThan(PROMPTLY);

        for (CompletableFuture<Status> login : logins) {
            assertThat(login.get(GRACE.toSeconds(), TimeUnit.SECONDS).getCode())
                    .as("a login in flight at SIGTERM finishes").isEqualTo(Status.Code.OK);
        }
        assertThat(login(a, AuthorityFixture.ALICE).get(30, TimeUnit.SECONDS).getCode()).as("a call after SIGTERM is refused")
                .isEqualTo(Status.Code.UNAVAILABLE);
        int exit = a.process.awaitOwnExit(GRACE.plusSeconds(5));
        assertThat(exit).as("exit status after SIGTERM:%n%s", a.process.output()).isZero();
        assertThat(a.process.log()).contains("shut down");

        // The sidecar went to b when told, not after --failover-after: b's revocation reaches it long before that.
        b.revokeSession(admin, after.getSessionId());
        sidecar.awaitDenial(after.getAccessToken(), DENIAL_REASON_SESSION_REVOKED, "a revocation on b");
        assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(FAILOVER_AFTER.dividedBy(2));
        assertThat(sidecar.process.log())
                .contains("authority shutting down")
                .contains("leaving authority replica 127.0.0.1:" + a.port + " (stream_ended); resuming on 127.0.0.1:"
                        + b.port)
                .doesNotContain("stopped_vouching");
        assertThat(sidecar.process.logLinesContaining("applied a snapshot")).as("resumed from its position")
                .isEqualTo(1);
    }

    /** A raw Subscribe on {@code node}: completes with the status the stream ends with. */
    private static CompletableFuture<Status> subscribe(AuthorityNode node, String secret) {
        CompletableFuture<Status> end = new CompletableFuture<>();
        RevocationFeedServiceGrpc.newStub(node.channel()).subscribe(SubscribeRequest.newBuilder()
                .setClientId(DemoData.SIDECAR_CLIENT).setClientSecret(secret).setSidecarId("raw-subscriber").build(),
                endingIn(end));
        return end;
    }

    /** A login on {@code node}: completes with its status. */
    private static CompletableFuture<Status> login(AuthorityNode node, String email) {
        CompletableFuture<Status> end = new CompletableFuture<>();
        AuthServiceGrpc.newStub(node.channel()).withDeadlineAfter(60, TimeUnit.SECONDS).login(LoginRequest.newBuilder()
                .setClientId(DemoData.APP_CLIENT).setUsername(email).setPassword(DemoData.USER_PASSWORD).build(),
                endingIn(end));
        return end;
    }

    /** A login over gRPC-web on the web port {@code port}: completes with its status. */
    private static CompletableFuture<Status> webLogin(int port, String email) {
        CompletableFuture<Status> end = new CompletableFuture<>();
        GrpcClients.builder("http://127.0.0.1:" + port).serializationFormat(GrpcSerializationFormats.PROTO_WEB)
                .build(AuthServiceGrpc.AuthServiceStub.class).withDeadlineAfter(60, TimeUnit.SECONDS)
                .login(LoginRequest.newBuilder().setClientId(DemoData.APP_CLIENT).setUsername(email)
                        .setPassword(DemoData.USER_PASSWORD).build(), endingIn(end));
        return end;
    }

    /** Ignores the messages of a call and completes {@code end} with the status it ends with. */
    private static <T> StreamObserver<T> endingIn(CompletableFuture<Status> end) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T message) {
            }

            @Override
            public void onError(Throwable t) {
                end.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                end.complete(Status.OK);
            }
        };
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
    }
}
