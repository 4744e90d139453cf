package dev.tokenauthority.authority.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TcpProxy;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.authority.server.DatabaseHealth;
import dev.tokenauthority.authority.testing.Eventually;
import dev.tokenauthority.authority.web.WebListener;
import dev.tokenauthority.authority.web.WebOptions;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import io.grpc.StatusRuntimeException;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The database going away, before and in the middle of a refresh: the call answers UNAVAILABLE,
 * nothing is half-written (the presented token is not left ROTATED without a successor), and the
 * authority works again as soon as the database is back. Meanwhile its health checks say so: grpc.health.v1
 * NOT_SERVING and {@code /readyz} 503 while the database is away, SERVING and 200 once it is back, and
 * {@code /healthz} 200 throughout (the process is alive).
 */
abstract class DatabaseOutageContract {

    /** A probe every {@link DatabaseHealth#PROBE_INTERVAL}, each waiting at most the pool's 3 s for a connection. */
    private static final Duration PROBE_LIMIT = Duration.ofSeconds(15);

    TcpProxy proxy;
    AuthorityFixture fx;

    /** The database to test and how to reach it through {@link #proxy}. */
    abstract TestDatabase database();

    abstract String proxiedUrl(TestDatabase database, int proxyPort);

    abstract java.net.InetSocketAddress target();

    @BeforeEach
    void start() throws Exception {
        proxy = new TcpProxy(target());
        TestDatabase database = database();
        fx = new AuthorityFixture(database,
                (url, user, password, pool) -> Database.open(proxiedUrl(database, proxy.port()), user, password, pool));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.restore();
        fx.close();
        proxy.close();
    }

    TokenPair refresh(String token) {
        return fx.auth().refresh(RefreshRequest.newBuilder().setClientId(DemoData.APP_CLIENT).setRefreshToken(token)
                .build());
    }

    Status.Code refreshCode(String token) {
        try {
            refresh(token);
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getDescription()).doesNotContain("SQL").doesNotContain("jdbc");
            return e.getStatus().getCode();
        }
    }

    int refreshTokensOfSession(String sessionId) {
        return fx.db.jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM refresh_tokens WHERE session_id = :sid").bind("sid", sessionId)
                .mapTo(Integer.class).one());
    }

    @Test
    void healthIsNotServingWhileTheDatabaseIsAwayAndServingAgainOnceItIsBack() throws Exception {
        WebListener web = WebListener.start(new WebOptions(0, Set.of(), true, null, null, null), fx.authority);
        try {
            HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(fx.channel());
            assertThat(servingStatus(health)).isEqualTo(ServingStatus.SERVING);
            assertThat(httpStatus(web, "/readyz")).isEqualTo(200);

            proxy.cut();
            Eventually.until(PROBE_LIMIT, "health to report NOT_SERVING",
                    () -> servingStatus(health) == ServingStatus.NOT_SERVING);
            assertThat(httpStatus(web, "/readyz")).isEqualTo(503);
            assertThat(httpStatus(web, "/healthz")).isEqualTo(200);

            proxy.restore();
            Eventually.until(PROBE_LIMIT, "health to report SERVING again",
                    () -> servingStatus(health) == ServingStatus.SERVING);
            assertThat(httpStatus(web, "/readyz")).isEqualTo(200);
        } finally {
            web.stop();
        }
    }

    private static ServingStatus servingStatus(HealthGrpc.HealthBlockingStub health) {
        return health.check(HealthCheckRequest.getDefaultInstance()).getStatus();
    }

    private static int httpStatus(WebListener web, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + web.port() + path)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void aRefreshWhileTheDatabaseIsDownIsUnavailableAndWorksOnceItIsBack() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        proxy.cut();
        assertThat(refreshCode(pair.getRefreshToken())).isEqualTo(Status.Code.UNAVAILABLE);
        proxy.restore();
        assertThat(refresh(pair.getRefreshToken()).getSessionId()).isEqualTo(pair.getSessionId());
    }

    /** What TokenAuthorityDatabaseUnreachable (docs/operations/alerts.yml) alerts on. */
    @Test
    void aTransactionThatCannotReachTheDatabaseIsCountedAsUnavailableInTheMetrics() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        long committed = transactionsEnded("committed");
        assertThat(committed).isPositive();
        assertThat(transactionsEnded("unavailable")).isZero();

        proxy.cut();
        long before = transactionsEnded("unavailable");
        assertThat(refreshCode(pair.getRefreshToken())).isEqualTo(Status.Code.UNAVAILABLE);
        // At least the refresh: background work (the event-delivery worker's polls) may meet the outage too.
        assertThat(transactionsEnded("unavailable")).isGreaterThan(before);
        proxy.restore();
        // The pool may still hand out a connection the cut broke: the first call after may fail too.
        Eventually.until(PROBE_LIMIT, "a refresh to go through once the database is back",
                () -> refreshCode(pair.getRefreshToken()) == Status.Code.OK);
        assertThat(transactionsEnded("committed")).isGreaterThan(committed);
    }

    /** Transactions with this ending in tokenauthority_db_transaction_duration_seconds, from the registry. */
    long transactionsEnded(String ending) {
        return fx.authority.metrics().registry().scrape().stream()
                .filter(HistogramSnapshot.class::isInstance).map(HistogramSnapshot.class::cast)
                .filter(h -> h.getMetadata().getName().equals("tokenauthority_db_transaction_duration_seconds"))
                .flatMap(h -> h.getDataPoints().stream())
                .filter(point -> ending.equals(point.getLabels().get("ending")))
                .mapToLong(HistogramSnapshot.HistogramDataPointSnapshot::getCount).sum();
    }

    @Test
    void theDatabaseGoingAwayMidRefreshLeavesNothingHalfWritten() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        // The successor's INSERT follows the compare-and-set UPDATE in the same transaction.
        proxy.cutWhenClientSends("INSERT INTO refresh_tokens");
        assertThat(refreshCode(pair.getRefreshToken())).isEqualTo(Status.Code.UNAVAILABLE);
        proxy.restore();
        assertThat(refreshTokensOfSession(pair.getSessionId())).isEqualTo(1);
        TokenPair next = refresh(pair.getRefreshToken());
        assertThat(next.getSessionId()).isEqualTo(pair.getSessionId());
        assertThat(refreshTokensOfSession(pair.getSessionId())).isEqualTo(2);
    }
}
