package dev.tokenauthority.authority.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.AuthServiceGrpc;
import dev.tokenauthority.api.v1.ListAuditEventsRequest;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.authority.audit.Actor;
import dev.tokenauthority.authority.audit.AuditEvent;
import dev.tokenauthority.authority.audit.AuditStore;
import dev.tokenauthority.authority.audit.CallContext;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.server.Authority;
import dev.tokenauthority.authority.server.AuthorityServer;
import dev.tokenauthority.authority.storage.Database;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.authority.token.TokenPolicy;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The login throttle over real gRPC: racing wrong passwords, on one authority or two sharing the
 * database, never get more password hashes than the limit; failures and refusals are audited as a
 * few aggregated rows.
 */
abstract class LoginThrottleContract {

    private static final int LIMIT = LoginLimits.DEFAULT_ACCOUNT_LIMIT;
    private static final Pattern COUNT = Pattern.compile("\"count\":(\\d+)");

    abstract TestDatabase.Kind kind();

    final CountingPasswordHasher hasher = new CountingPasswordHasher();
    AuthorityFixture fx;

    @BeforeEach
    void start() {
        fx = new AuthorityFixture(TestDatabase.create(kind()), Database::open, hasher);
        hasher.reset();
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    static LoginRequest wrongPassword(String email) {
        return LoginRequest.newBuilder().setClientId(DemoData.APP_CLIENT).setUsername(email)
                .setPassword("not-" + DemoData.USER_PASSWORD).build();
    }

    /** Sends {@code attempts} logins at once, each through the stub the index picks; returns the status codes. */
    static List<Status.Code> race(int attempts, Function<Integer, AuthServiceGrpc.AuthServiceBlockingStub> stubs,
            LoginRequest request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Status.Code>> results = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                AuthServiceGrpc.AuthServiceBlockingStub stub = stubs.apply(i);
                results.add(pool.submit(() -> {
                    go.await();
                    try {
                        stub.login(request);
                        return Status.Code.OK;
                    } catch (StatusRuntimeException e) {
                        return e.getStatus().getCode();
                    }
                }));
            }
            go.countDown();
            List<Status.Code> codes = new ArrayList<>();
            for (Future<Status.Code> result : results) {
                codes.add(result.get(60, TimeUnit.SECONDS));
            }
            return codes;
        } finally {
            pool.shutdownNow();
        }
    }

    static Map<Status.Code, Long> tally(List<Status.Code> codes) {
        return codes.stream().collect(Collectors.groupingBy(c -> c, Collectors.counting()));
    }

    @Test
    void fortyParallelWrongPasswordsForOneAccountGetAtMostTheLimitOfPasswordHashes() throws Exception {
        hasher.slowDown(100);
        List<Status.Code> codes = race(40, i -> fx.auth(), wrongPassword(AuthorityFixture.ALICE));

        assertThat(hasher.verifications()).isEqualTo(LIMIT);
        assertThat(tally(codes)).containsExactlyInAnyOrderEntriesOf(Map.of(
                Status.Code.UNAUTHENTICATED, (long) LIMIT,
                Status.Code.RESOURCE_EXHAUSTED, 40L - LIMIT));
    }

    @Test
    void twoAuthoritiesOnOneDatabaseTogetherStayWithinTheLimit() throws Exception {
        Database databaseB = Database.open(fx.database.url(), fx.database.user(), fx.database.password(), 8);
        Authority replicaB = new Authority(databaseB, TokenPolicy.withIssuer(AuthorityFixture.ISSUER), fx.keks, hasher,
                LoginLimits.DEFAULTS, fx.clock);
        replicaB.start();
        String name = InProcessServerBuilder.generateName();
        AuthorityServer serverB = new AuthorityServer(InProcessServerBuilder.forName(name).directExecutor(), replicaB)
                .start();
        ManagedChannel channelB = InProcessChannelBuilder.forName(name).directExecutor().build();
        try {
            hasher.slowDown(100);
            AuthServiceGrpc.AuthServiceBlockingStub onB = AuthServiceGrpc.newBlockingStub(channelB);
            List<Status.Code> codes = race(40, i -> i % 2 == 0 ? fx.auth() : onB, wrongPassword(AuthorityFixture.BOB));

            assertThat(hasher.verifications()).isEqualTo(LIMIT);
            assertThat(tally(codes)).containsExactlyInAnyOrderEntriesOf(Map.of(
                    Status.Code.UNAUTHENTICATED, (long) LIMIT,
                    Status.Code.RESOURCE_EXHAUSTED, 40L - LIMIT));
        } finally {
            channelB.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            serverB.stop(java.time.Duration.ofSeconds(1));
            replicaB.close();
            databaseB.close();
        }
    }

    @Test
    void aThrottledLoginComputesNoHashEvenWithTheRightPassword() {
        for (int i = 0; i < LIMIT; i++) {
            assertThat(codeOf(wrongPassword(AuthorityFixture.ALICE))).isEqualTo(Status.Code.UNAUTHENTICATED);
        }
        hasher.reset();
        assertThat(codeOf(LoginRequest.newBuilder(wrongPassword(AuthorityFixture.ALICE))
                .setPassword(DemoData.USER_PASSWORD).build())).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(hasher.verifications()).isZero();

        fx.clock.advance(LoginLimits.DEFAULT_WINDOW);
        assertThat(fx.login(AuthorityFixture.ALICE).getAccessToken()).isNotEmpty();
    }

    @Test
    void aSuccessClearsTheAccountsFailuresAsBefore() {
        for (int i = 0; i < LIMIT - 1; i++) {
            codeOf(wrongPassword(AuthorityFixture.ALICE));
        }
        fx.login(AuthorityFixture.ALICE);
        for (int i = 0; i < LIMIT; i++) {
            assertThat(codeOf(wrongPassword(AuthorityFixture.ALICE))).isEqualTo(Status.Code.UNAUTHENTICATED);
        }
        assertThat(codeOf(wrongPassword(AuthorityFixture.ALICE))).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }

    @Test
    void twoHundredFailedLoginsLeaveAFewAggregatedAuditRowsWhoseCountsAddUp() {
        // Two windows of 100 attempts each: per window one login.failed (the limit) and one login.throttled (the rest).
        for (int window = 0; window < 2; window++) {
            for (int i = 0; i < 100; i++) {
                codeOf(wrongPassword("mallory@example.com"));
            }
            fx.clock.advance(LoginLimits.DEFAULT_WINDOW);
        }

        var admin = fx.admin(fx.loginAdmin().getAccessToken());
        List<dev.tokenauthority.api.v1.AuditEvent> failed = admin.listAuditEvents(ListAuditEventsRequest.newBuilder()
                .setAction("login.failed").setTargetId("mallory@example.com").build()).getEventsList();
        List<dev.tokenauthority.api.v1.AuditEvent> throttled = admin.listAuditEvents(ListAuditEventsRequest
                .newBuilder().setAction("login.throttled").setTargetId("mallory@example.com").build()).getEventsList();

        assertThat(failed).hasSize(2).allSatisfy(e -> {
            assertThat(e.getTargetType()).isEqualTo("account");
            assertThat(e.getActorId()).isEqualTo(DemoData.APP_CLIENT);
        });
        assertThat(throttled).hasSize(2);
        assertThat(failed.stream().mapToInt(e -> count(e.getDetailsJson())).toArray()).containsOnly(LIMIT);
        assertThat(throttled.stream().mapToInt(e -> count(e.getDetailsJson())).sum()).isEqualTo(200 - 2 * LIMIT);
    }

    @Test
    void credentialStuffingFromOneAddressIsRefusedAtTheIpLimitAndAuditedOnTheAddress() {
        LoginThrottle throttle = fx.authority.loginThrottle();
        assertStuffingRefusedAtTheIpLimit(i -> "203.0.113.9", "203.0.113.9");

        // Another address is not affected, and a success gives its attempt back.
        CallContext fromAlice = new CallContext("198.51.100.7", Actor.client(DemoData.APP_CLIENT));
        for (int i = 0; i < LoginLimits.DEFAULT_IP_LIMIT + 10; i++) {
            throttle.succeeded(throttle.reserve("user" + i + "@example.com", fromAlice).orElseThrow());
        }
    }

    @Test
    void credentialStuffingFromManyAddressesOfOneIpv6SubnetIsRefusedAtTheIpLimit() {
        // An IPv6 host is routinely given a whole /64 and can send from any address in it.
        assertStuffingRefusedAtTheIpLimit(i -> "2001:db8:1:2:0:0:0:" + Integer.toHexString(i + 1), "2001:db8:1:2::/64");

        // The next /64 is another subscriber.
        CallContext neighbour = new CallContext("2001:db8:1:3::1", Actor.client(DemoData.APP_CLIENT));
        assertThat(fx.authority.loginThrottle().reserve("neighbour@example.com", neighbour)).isPresent();
    }

    @Test
    void anAddressOverItsLimitAddsNoThrottleRowsForTheAccountsItTriesNext() {
        assertStuffingRefusedAtTheIpLimit(i -> "203.0.113.9", "203.0.113.9");
        int rows = throttleRows();

        CallContext fromMallory = new CallContext("203.0.113.9", Actor.client(DemoData.APP_CLIENT));
        for (int i = 0; i < 100; i++) {
            assertThat(fx.authority.loginThrottle().reserve("fresh" + i + "@example.com", fromMallory)).isEmpty();
        }
        // Each refused guess at a new name would otherwise insert a row, as fast as the requests come, for 2 windows.
        assertThat(throttleRows()).isEqualTo(rows);
    }

    private int throttleRows() {
        return fx.db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM login_throttle")
                .mapTo(Integer.class).one());
    }

    /**
     * Ten more wrong logins than the IP limit, each for another account, the i-th from {@code address(i)}: only the
     * limit reach the password check, and the refusals are one {@code login.throttled} event on {@code audited}.
     */
    private void assertStuffingRefusedAtTheIpLimit(Function<Integer, String> address, String audited) {
        LoginThrottle throttle = fx.authority.loginThrottle();
        int reserved = 0;
        for (int i = 0; i < LoginLimits.DEFAULT_IP_LIMIT + 10; i++) {
            CallContext from = new CallContext(address.apply(i), Actor.client(DemoData.APP_CLIENT));
            var reservation = throttle.reserve("user" + i + "@example.com", from);
            if (reservation.isPresent()) {
                reserved++;
                throttle.failed(reservation.get(), from);
            }
        }
        assertThat(reserved).isEqualTo(LoginLimits.DEFAULT_IP_LIMIT);
        List<AuditEvent> throttled = fx.authority.transactor()
                .read(h -> h.store(AuditStore.class).findByAction("login.throttled"));
        assertThat(throttled).singleElement().satisfies(e -> {
            assertThat(e.targetType()).isEqualTo("client_ip");
            assertThat(e.targetId()).isEqualTo(audited);
            assertThat(count(e.details())).isEqualTo(10);
        });
    }

    @Test
    void housekeepingSweepsWindowsLongOver() {
        codeOf(wrongPassword(AuthorityFixture.ALICE));
        fx.clock.advance(LoginLimits.DEFAULT_WINDOW.multipliedBy(2).plus(Duration.ofSeconds(1)));
        assertThat(fx.authority.loginThrottle().sweep()).as("the account's window and the caller address's").isEqualTo(2);
        assertThat(codeOf(wrongPassword(AuthorityFixture.ALICE))).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    private Status.Code codeOf(LoginRequest request) {
        try {
            fx.auth().login(request);
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    private static int count(String details) {
        Matcher m = COUNT.matcher(details);
        assertThat(m.find()).as("a count in %s", details).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
