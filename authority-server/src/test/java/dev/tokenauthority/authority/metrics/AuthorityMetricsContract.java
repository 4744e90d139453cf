package dev.tokenauthority.authority.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import dev.tokenauthority.api.v1.AuthServiceGrpc;
import dev.tokenauthority.api.v1.CreateEventReceiverRequest;
import dev.tokenauthority.api.v1.FeedMessage;
import dev.tokenauthority.api.v1.GetJwksRequest;
import dev.tokenauthority.api.v1.KeyServiceGrpc;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.RevocationFeedServiceGrpc;
import dev.tokenauthority.api.v1.RevokeSessionRequest;
import dev.tokenauthority.api.v1.RevokeUserTokensRequest;
import dev.tokenauthority.api.v1.RotateSigningKeyRequest;
import dev.tokenauthority.api.v1.SubscribeRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.Eventually;
import dev.tokenauthority.authority.testing.SetReceiver;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.authority.web.WebListener;
import dev.tokenauthority.authority.web.WebOptions;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The authority's metrics beyond logins, scraped over HTTP from the metrics listener after real calls over in-process
 * gRPC (and gRPC-web for one), on each database.
 */
abstract class AuthorityMetricsContract {

    private static final String LOGIN = AuthServiceGrpc.getLoginMethod().getFullMethodName();
    private static final String GET_JWKS = KeyServiceGrpc.getGetJwksMethod().getFullMethodName();
    private static final String SUBSCRIBE = RevocationFeedServiceGrpc.getSubscribeMethod().getFullMethodName();
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    AuthorityFixture fx;
    MetricsListener listener;

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void start() {
        fx = new AuthorityFixture(kind());
        listener = MetricsListener.start(0, fx.authority.metrics().registry());
    }

    @AfterEach
    void stop() throws Exception {
        listener.close();
        fx.close();
    }

    private Scrape scrape() throws Exception {
        return Scrape.of(listener);
    }

    private TokenPair refresh(String refreshToken) {
        return fx.auth().refresh(RefreshRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                .setRefreshToken(refreshToken).build());
    }

    private void refused(String refreshToken) {
        assertThatThrownBy(() -> refresh(refreshToken)).isInstanceOf(StatusRuntimeException.class);
    }

    @Test
    void refreshesAreCountedByOutcomeAndReuseCountsTheSessionItRevoked() throws Exception {
        fx.setReuseGrace(DemoData.APP_CLIENT, Duration.ofSeconds(10));
        TokenPair first = fx.login(AuthorityFixture.ALICE);
        TokenPair second = refresh(first.getRefreshToken());
        refresh(first.getRefreshToken()); // a retry within the grace: the same successor again
        fx.clock.advance(Duration.ofSeconds(11));
        refused(first.getRefreshToken()); // outside the grace: reuse, and the session dies
        refused(second.getRefreshToken()); // its family is revoked
        String token = second.getRefreshToken();
        int at = token.length() - 5;
        refused(token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1));

        Scrape scrape = scrape();
        assertThat(scrape.value("tokenauthority_refreshes_total{outcome=\"rotated\"}")).isEqualTo(1);
        assertThat(scrape.value("tokenauthority_refreshes_total{outcome=\"grace_retry\"}")).isEqualTo(1);
        assertThat(scrape.value("tokenauthority_refreshes_total{outcome=\"reuse_detected\"}")).isEqualTo(1);
        assertThat(scrape.value("tokenauthority_refreshes_total{outcome=\"revoked\"}")).isEqualTo(1);
        assertThat(scrape.value("tokenauthority_refreshes_total{outcome=\"unknown\"}")).isEqualTo(1);
        assertThat(scrape.value("tokenauthority_refreshes_total{outcome=\"expired\"}")).isZero();
        assertThat(scrape.value("tokenauthority_revocations_total{kind=\"session\"}")).isEqualTo(1);
    }

    @Test
    void revocationsAreCountedByKindOnceEachAndNotWhenThereWasNothingToRevoke() throws Exception {
        String admin = fx.loginAdmin().getAccessToken();
        fx.login(AuthorityFixture.ALICE);
        TokenPair bob = fx.login(AuthorityFixture.BOB);
        fx.admin(admin).revokeUserTokens(RevokeUserTokensRequest.newBuilder()
                .setUserId(fx.user(AuthorityFixture.ALICE).id()).setReason("laptop stolen").build());
        for (int i = 0; i < 2; i++) { // the second revokes nothing: idempotent, no log entry
            fx.admin(admin).revokeSession(RevokeSessionRequest.newBuilder().setSessionId(bob.getSessionId())
                    .setReason("metrics test").build());
        }

        Scrape scrape = scrape();
        assertThat(scrape.value("tokenauthority_revocations_total{kind=\"user\"}")).isEqualTo(1);
        assertThat(scrape.value("tokenauthority_revocations_total{kind=\"session\"}")).isEqualTo(1);
        assertThat(scrape.value("tokenauthority_revocations_total{kind=\"everything\"}")).isZero();
        assertThat(scrape.value("tokenauthority_revocations_total{kind=\"suspend\"}")).isZero();
    }

    private double scrapedValue(String series) {
        try {
            return scrape().value(series);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void eventPushesAreCountedByOutcomeAndTheBacklogIsShown() throws Exception {
        String admin = fx.loginAdmin().getAccessToken();
        try (SetReceiver receiver = new SetReceiver()) {
            receiver.answer(503);
            fx.admin(admin).createEventReceiver(CreateEventReceiverRequest.newBuilder().setEndpointUrl(receiver.url())
                    .setAudience("https://receiver.test").addEventTypes("session-revoked").build());
            for (int i = 0; i < 2; i++) {
                fx.admin(admin).revokeSession(RevokeSessionRequest.newBuilder()
                        .setSessionId(fx.login(AuthorityFixture.ALICE).getSessionId()).build());
            }
            Eventually.until(PROMPTLY, "a retried push counted",
                    () -> scrapedValue("tokenauthority_events_pushed_total{outcome=\"retried\"}") > 0);
            assertThat(scrape().value("tokenauthority_events_backlog")).isEqualTo(2);
            receiver.answer(202);
            Eventually.until(PROMPTLY, "both delivered", () -> receiver.accepted().size() == 2);
            // Counted once the outbox row is gone, just after the receiver answered.
            Eventually.until(PROMPTLY, "both counted",
                    () -> scrapedValue("tokenauthority_events_pushed_total{outcome=\"delivered\"}") == 2);
            Scrape delivered = scrape();
            assertThat(delivered.value("tokenauthority_events_backlog")).isZero();
            assertThat(delivered.value("tokenauthority_events_pushed_total{outcome=\"refused\"}")).isZero();
            assertThat(delivered.value("tokenauthority_events_pushed_total{outcome=\"expired\"}")).isZero();
        }
    }

    @Test
    void callsAreCountedByMethodAndCodeOnBothPortsAndUnaryCallsAreTimed() throws Exception {
        fx.login(AuthorityFixture.ALICE);
        assertThatThrownBy(() -> fx.auth().login(LoginRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                .setUsername(AuthorityFixture.ALICE).setPassword("wrong").build()))
                .isInstanceOf(StatusRuntimeException.class);
        assertThatThrownBy(() -> fx.auth().login(LoginRequest.newBuilder().setClientId(DemoData.APP_CLIENT).build()))
                .isInstanceOf(StatusRuntimeException.class);
        WebListener web = WebListener.start(new WebOptions(0, Set.of(), true, null, null, null), fx.authority);
        try {
            GrpcClients.builder("http://127.0.0.1:" + web.port())
                    .serializationFormat(GrpcSerializationFormats.PROTO_WEB)
                    .build(KeyServiceGrpc.KeyServiceBlockingStub.class)
                    .getJwks(GetJwksRequest.getDefaultInstance());
        } finally {
            web.stop();
        }

        Scrape scrape = scrape();
        assertThat(scrape.value("tokenauthority_grpc_requests_total{code=\"OK\",method=\"" + LOGIN + "\"}"))
                .isEqualTo(1);
        assertThat(scrape.value("tokenauthority_grpc_requests_total{code=\"UNAUTHENTICATED\",method=\"" + LOGIN + "\"}"))
                .isEqualTo(1);
        assertThat(scrape.value("tokenauthority_grpc_requests_total{code=\"INVALID_ARGUMENT\",method=\"" + LOGIN
                + "\"}")).isEqualTo(1);
        assertThat(scrape.value("tokenauthority_grpc_requests_total{code=\"OK\",method=\"" + GET_JWKS + "\"}"))
                .as("the gRPC-web call").isEqualTo(1);
        assertThat(scrape.value("tokenauthority_grpc_request_duration_seconds_count{method=\"" + LOGIN + "\"}"))
                .isEqualTo(3);
        assertThat(scrape.value("tokenauthority_grpc_request_duration_seconds_sum{method=\"" + LOGIN + "\"}"))
                .isPositive();
    }

    @Test
    void theFeedReportsItsSubscribersHeadEventsAndLagAndCountsAStreamWhenItEnds() throws Exception {
        String admin = fx.loginAdmin().getAccessToken();
        TokenPair alice = fx.login(AuthorityFixture.ALICE);
        Context.CancellableContext call = Context.current().withCancellation();
        Iterator<FeedMessage> stream = call.call(() -> RevocationFeedServiceGrpc.newBlockingStub(fx.channel())
                .withDeadlineAfter(60, TimeUnit.SECONDS) // a bound for a failing test; the test cancels long before
                .subscribe(SubscribeRequest.newBuilder().setClientId(DemoData.SIDECAR_CLIENT)
                        .setClientSecret(fx.sidecarSecret).setSidecarId("metrics-test").build()));
        while (stream.next().getMessageCase() != FeedMessage.MessageCase.SNAPSHOT_END) {
            // the snapshot's parts
        }
        assertThat(scrape().value("tokenauthority_feed_subscribers")).isEqualTo(1);

        long sequence = fx.admin(admin).revokeSession(RevokeSessionRequest.newBuilder()
                .setSessionId(alice.getSessionId()).setReason("metrics test").build()).getFeedSequence();
        while (!Set.of(FeedMessage.MessageCase.EVENT, FeedMessage.MessageCase.EVENTS)
                .contains(stream.next().getMessageCase())) {
            // heartbeats
        }
        Eventually.until(PROMPTLY, "the event counted", () -> value("tokenauthority_feed_events_sent_total") == 1);
        Scrape scrape = scrape();
        assertThat(scrape.value("tokenauthority_feed_head_sequence")).isEqualTo(sequence);
        // The snapshot's end and the event, each leaving the subscriber at the head.
        assertThat(scrape.value("tokenauthority_feed_subscriber_lag_sequences_count")).isGreaterThanOrEqualTo(2);
        assertThat(scrape.value("tokenauthority_feed_subscriber_lag_sequences_bucket{le=\"0.0\"}"))
                .isEqualTo(scrape.value("tokenauthority_feed_subscriber_lag_sequences_count"));

        call.cancel(null);
        Eventually.until(PROMPTLY, "the stream counted as it ended", () -> scrapeHas(
                "tokenauthority_grpc_requests_total{code=\"CANCELLED\",method=\"" + SUBSCRIBE + "\"}"));
        Eventually.until(PROMPTLY, "no subscriber left", () -> value("tokenauthority_feed_subscribers") == 0);
        assertThat(scrape().has("tokenauthority_grpc_request_duration_seconds_count{method=\"" + SUBSCRIBE + "\"}"))
                .as("a stream is not timed").isFalse();
    }

    @Test
    void theDatabaseReportsItsPoolItsTransactionsAndItsSchemaVersion() throws Exception {
        fx.login(AuthorityFixture.ALICE);

        Scrape scrape = scrape();
        double max = scrape.value("tokenauthority_db_pool_connections{state=\"max\"}");
        assertThat(max).isPositive();
        assertThat(scrape.value("tokenauthority_db_pool_connections{state=\"active\"}")
                + scrape.value("tokenauthority_db_pool_connections{state=\"idle\"}")).isBetween(1.0, max);
        assertThat(scrape.value("tokenauthority_db_pool_connections{state=\"pending\"}")).isZero();
        assertThat(scrape.value("tokenauthority_db_transaction_duration_seconds_count{ending=\"committed\"}"))
                .isPositive();
        assertThat(scrape.value("tokenauthority_db_transaction_duration_seconds_count{ending=\"unavailable\"}"))
                .isZero();
        assertThat(scrape.value("tokenauthority_db_schema_version")).isEqualTo(latestMigration());
    }

    @Test
    void theSigningKeyAgeGrowsWithTheClockAndARotationPublishesASecondKey() throws Exception {
        fx.clock.advance(Duration.ofHours(5));
        Scrape before = scrape();
        assertThat(before.value("tokenauthority_signing_key_age_seconds{role=\"primary\"}")).isCloseTo(5 * 3600, within(1.0));
        assertThat(before.value("tokenauthority_signing_keys_published")).isEqualTo(1);

        String admin = fx.loginAdmin().getAccessToken();
        fx.keysAs(admin).rotateSigningKey(RotateSigningKeyRequest.newBuilder().setReason("metrics test").build());
        Scrape after = scrape();
        assertThat(after.value("tokenauthority_signing_key_age_seconds{role=\"primary\"}")).isCloseTo(0, within(1.0));
        assertThat(after.value("tokenauthority_signing_keys_published")).isEqualTo(2);
        assertThat(after.value("tokenauthority_revocations_total{kind=\"signing_keys\"}")).isEqualTo(1);
    }

    private double value(String series) {
        try {
            return scrape().value(series);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean scrapeHas(String series) {
        try {
            return scrape().has(series);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The highest V&lt;n&gt;__ among this build's migration scripts. */
    private static double latestMigration() throws IOException, URISyntaxException {
        Path scripts = Path.of(AuthorityMetricsContract.class.getClassLoader().getResource("db/migration").toURI());
        Pattern version = Pattern.compile("V(\\d+)__.*");
        try (Stream<Path> files = Files.list(scripts)) {
            return files.map(file -> version.matcher(file.getFileName().toString())).filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1))).max().orElseThrow();
        }
    }
}
