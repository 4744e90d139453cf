package dev.tokenauthority.sidecar.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Duration;
import dev.tokenauthority.api.v1.AcknowledgeResponse;
import dev.tokenauthority.api.v1.Acknowledgement;
import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.BatchRevokeTokensRequest;
import dev.tokenauthority.api.v1.DenialReason;
import dev.tokenauthority.api.v1.FeedMessage;
import dev.tokenauthority.api.v1.ListSidecarsRequest;
import dev.tokenauthority.api.v1.ListSidecarsResponse;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.RevocationFeedServiceGrpc;
import dev.tokenauthority.api.v1.RevocationResult;
import dev.tokenauthority.api.v1.RevokeSessionRequest;
import dev.tokenauthority.api.v1.SidecarInfo;
import dev.tokenauthority.api.v1.SidecarState;
import dev.tokenauthority.api.v1.SidecarWait;
import dev.tokenauthority.api.v1.SidecarsApplied;
import dev.tokenauthority.api.v1.SubscribeRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.DenialCases;
import dev.tokenauthority.authority.testing.Eventually;
import dev.tokenauthority.authority.testing.TestDatabase;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sidecar fleet as admins see it: ListSidecars, and revocations that wait until the connected sidecars have
 * applied them. Two real sidecars follow an in-process authority; the misbehaving ones (silent, behind, lying) are
 * raw feed clients on the same gRPC API. Proves G26 of docs/guarantees.md.
 */
abstract class SidecarFleetContract {

    private static final Duration TEN_SECONDS = Duration.newBuilder().setSeconds(10).build();

    AuthorityFixture authority;
    SidecarHarness first;
    SidecarHarness second;
    private final java.util.List<Context.CancellableContext> rawStreams = new java.util.ArrayList<>();

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void start() throws Exception {
        authority = new AuthorityFixture(kind());
        first = new SidecarHarness(authority.channel(), "sidecar-a", authority.sidecarSecret, authority.clock);
        second = new SidecarHarness(authority.channel(), "sidecar-b", authority.sidecarSecret, authority.clock);
        first.awaitServing();
        second.awaitServing();
    }

    @AfterEach
    void stop() throws Exception {
        rawStreams.forEach(context -> context.cancel(null));
        first.close();
        second.close();
        authority.close();
    }

    private AdminServiceGrpc.AdminServiceBlockingStub admin() {
        return authority.admin(authority.loginAdmin().getAccessToken());
    }

    private ListSidecarsResponse list() {
        return admin().listSidecars(ListSidecarsRequest.getDefaultInstance());
    }

    private static SidecarInfo named(ListSidecarsResponse listing, String id) {
        return listing.getSidecarsList().stream().filter(s -> s.getSidecarId().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " is not listed: " + listing));
    }

    private RevocationResult revokeSessionWaiting(String sessionId, Duration timeout) {
        return admin().revokeSession(RevokeSessionRequest.newBuilder().setSessionId(sessionId).setReason("fleet test")
                .setWaitForSidecars(SidecarWait.newBuilder().setTimeout(timeout)).build());
    }

    @Test
    void aRevocationThatWaitsAnswersOnlyOnceEverySidecarDeniesTheToken() {
        TokenPair alice = authority.login(AuthorityFixture.ALICE);
        assertThat(first.validate(alice.getAccessToken()).getValid()).isTrue();
        assertThat(second.validate(alice.getAccessToken()).getValid()).isTrue();

        RevocationResult result = revokeSessionWaiting(alice.getSessionId(), TEN_SECONDS);

        SidecarsApplied applied = result.getSidecarsApplied();
        assertThat(applied.getConnected()).isEqualTo(2);
        assertThat(applied.getApplied()).isEqualTo(2);
        assertThat(applied.getTimedOut()).isFalse();
        // No polling: at the moment the answer says "applied", each sidecar enforces it.
        assertThat(first.validate(alice.getAccessToken()).getReason()).isEqualTo(DenialReason.DENIAL_REASON_SESSION_REVOKED);
        assertThat(second.validate(alice.getAccessToken()).getReason()).isEqualTo(DenialReason.DENIAL_REASON_SESSION_REVOKED);
    }

    @Test
    void aBulkRevocationCanWaitToo() {
        TokenPair alice = authority.login(AuthorityFixture.ALICE);
        var response = admin().batchRevokeTokens(BatchRevokeTokensRequest.newBuilder()
                .addTokenIds(alice.getRefreshTokenId()).setReason("fleet test")
                .setWaitForSidecars(SidecarWait.newBuilder().setTimeout(TEN_SECONDS)).build());
        assertThat(response.getSidecarsApplied().getApplied()).isEqualTo(2);
        assertThat(first.validate(alice.getAccessToken()).getValid()).isFalse();
    }

    @Test
    void aRevocationThatDoesNotAskToWaitSaysNothingOfTheSidecars() {
        RevocationResult result = admin().revokeSession(RevokeSessionRequest.newBuilder()
                .setSessionId(authority.login(AuthorityFixture.ALICE).getSessionId()).build());
        assertThat(result.hasSidecarsApplied()).isFalse();
    }

    @Test
    void listSidecarsShowsEachSidecarAtItsPositionAndWhenItLeft() throws Exception {
        revokeSessionWaiting(authority.login(AuthorityFixture.ALICE).getSessionId(), TEN_SECONDS);
        long head = DenialCases.committedSequence(authority);

        ListSidecarsResponse listing = list();
        assertThat(listing.getHeadSequence()).isEqualTo(head);
        assertThat(listing.getFresh()).isEqualTo(2);
        for (String id : new String[] {"sidecar-a", "sidecar-b"}) {
            SidecarInfo sidecar = named(listing, id);
            assertThat(sidecar.getState()).isEqualTo(SidecarState.SIDECAR_STATE_FRESH);
            assertThat(sidecar.getAppliedSequence()).isEqualTo(head);
            assertThat(sidecar.getLagEntries()).isZero();
            assertThat(sidecar.getLagMillis()).isZero();
            assertThat(sidecar.getClientId()).isEqualTo(DemoData.SIDECAR_CLIENT);
            assertThat(sidecar.getReplica()).isEqualTo(authority.authority.fleet().replica());
            assertThat(sidecar.getVersion()).isNotEmpty();
            assertThat(sidecar.hasConnectedAt()).isTrue();
            assertThat(sidecar.hasDisconnectedAt()).isFalse();
        }

        second.close();

        ListSidecarsResponse after = Eventually.untilAccepted(SidecarHarness.WAIT_LIMIT, "sidecar-b listed as gone",
                this::list, l -> named(l, "sidecar-b").getState() == SidecarState.SIDECAR_STATE_GONE);
        assertThat(named(after, "sidecar-b").hasDisconnectedAt()).isTrue();
        assertThat(after.getGone()).isEqualTo(1);
        assertThat(after.getFresh()).isEqualTo(1);
        assertThat(after.getSidecars(0).getSidecarId()).as("connected first").isEqualTo("sidecar-a");
        // A wait counts only the sidecars connected now.
        SidecarsApplied applied = revokeSessionWaiting(authority.login(AuthorityFixture.BOB).getSessionId(),
                TEN_SECONDS).getSidecarsApplied();
        assertThat(applied.getConnected()).isEqualTo(1);
        assertThat(applied.getApplied()).isEqualTo(1);
    }

    @Test
    void aSidecarThatDoesNotAcknowledgeIsListedNotReportingAndAWaitForItEndsAtItsTimeout() {
        subscribeRaw("silent");
        Eventually.untilAccepted(SidecarHarness.WAIT_LIMIT, "the silent subscriber listed", this::list,
                l -> l.getSidecarsList().stream().anyMatch(s -> s.getSidecarId().equals("silent")));
        assertThat(named(list(), "silent").getState()).isEqualTo(SidecarState.SIDECAR_STATE_NOT_REPORTING);
        assertThat(named(list(), "silent").getAppliedSequence()).isEqualTo(-1);

        RevocationResult result = revokeSessionWaiting(authority.login(AuthorityFixture.ALICE).getSessionId(),
                Duration.newBuilder().setNanos(400_000_000).build());

        SidecarsApplied applied = result.getSidecarsApplied();
        assertThat(applied.getConnected()).isEqualTo(3);
        assertThat(applied.getApplied()).isEqualTo(2);
        assertThat(applied.getTimedOut()).isTrue();
        assertThat(applied.getElapsed().getNanos() + applied.getElapsed().getSeconds() * 1_000_000_000L)
                .isGreaterThanOrEqualTo(400_000_000L);
    }

    @Test
    void aSidecarThatReportsAnOldPositionIsListedLaggingByWhatItMissed() throws Exception {
        long before = DenialCases.committedSequence(authority);
        subscribeRaw("behind");
        StreamObserver<Acknowledgement> acks = acknowledge(new CompletableFuture<>());
        acks.onNext(Acknowledgement.newBuilder().setSidecarId("behind").setClientId(DemoData.SIDECAR_CLIENT)
                .setClientSecret(authority.sidecarSecret).setAppliedSequence(before).build());
        revokeSessionWaiting(authority.login(AuthorityFixture.ALICE).getSessionId(),
                Duration.newBuilder().setNanos(200_000_000).build());
        authority.clock.advance(java.time.Duration.ofSeconds(3));

        SidecarInfo behind = named(list(), "behind");

        assertThat(behind.getState()).isEqualTo(SidecarState.SIDECAR_STATE_LAGGING);
        assertThat(behind.getAppliedSequence()).isEqualTo(before);
        assertThat(behind.getLagEntries()).isEqualTo(DenialCases.committedSequence(authority) - before);
        assertThat(behind.getLagMillis()).isGreaterThanOrEqualTo(3_000);
        assertThat(list().getSidecars(0).getSidecarId()).as("the most behind first").isEqualTo("behind");
    }

    @Test
    void acknowledgementsNeedTheCredentialsOfAnOpenSubscription() throws Exception {
        CompletableFuture<Throwable> wrongSecret = new CompletableFuture<>();
        acknowledge(wrongSecret).onNext(Acknowledgement.newBuilder().setSidecarId("sidecar-a")
                .setClientId(DemoData.SIDECAR_CLIENT).setClientSecret("not-the-secret").setAppliedSequence(0).build());
        assertThat(Status.fromThrowable(wrongSecret.get(10, TimeUnit.SECONDS)).getCode())
                .isEqualTo(Status.Code.UNAUTHENTICATED);

        CompletableFuture<Throwable> noSubscription = new CompletableFuture<>();
        acknowledge(noSubscription).onNext(Acknowledgement.newBuilder().setSidecarId("nobody")
                .setClientId(DemoData.SIDECAR_CLIENT).setClientSecret(authority.sidecarSecret).build());
        Status refused = Status.fromThrowable(noSubscription.get(10, TimeUnit.SECONDS));
        assertThat(refused.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(refused.getDescription()).contains("subscribe first");
    }

    @Test
    void aWaitLongerThanThirtySecondsIsRefusedBeforeAnythingIsRevoked() {
        TokenPair alice = authority.login(AuthorityFixture.ALICE);
        assertThatThrownBy(() -> revokeSessionWaiting(alice.getSessionId(),
                Duration.newBuilder().setSeconds(31).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("wait_for_sidecars.timeout");
                });
        assertThat(authority.auth().refresh(RefreshRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                .setRefreshToken(alice.getRefreshToken()).build()).getAccessToken()).isNotEmpty();
    }

    /** A raw subscriber that reads everything and acknowledges nothing (as a sidecar from before Acknowledge). */
    private void subscribeRaw(String sidecarId) {
        Context.CancellableContext context = Context.current().withCancellation();
        rawStreams.add(context);
        context.run(() -> RevocationFeedServiceGrpc.newStub(authority.channel()).subscribe(SubscribeRequest.newBuilder()
                .setSidecarId(sidecarId).setClientId(DemoData.SIDECAR_CLIENT).setClientSecret(authority.sidecarSecret)
                .build(), new StreamObserver<FeedMessage>() {
                    @Override
                    public void onNext(FeedMessage value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                }));
        Eventually.until(SidecarHarness.WAIT_LIMIT, sidecarId + " connected",
                () -> authority.authority.fleet().connection(sidecarId).isPresent());
    }

    private StreamObserver<Acknowledgement> acknowledge(CompletableFuture<Throwable> ended) {
        Context.CancellableContext context = Context.current().withCancellation();
        rawStreams.add(context);
        Context previous = context.attach();
        try {
            return RevocationFeedServiceGrpc.newStub(authority.channel()).acknowledge(
                new StreamObserver<AcknowledgeResponse>() {
                    @Override
                    public void onNext(AcknowledgeResponse value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        ended.complete(t);
                    }

                    @Override
                    public void onCompleted() {
                        ended.complete(null);
                    }
                });
        } finally {
            context.detach(previous);
        }
    }
}
