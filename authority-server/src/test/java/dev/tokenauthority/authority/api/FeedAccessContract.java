package dev.tokenauthority.authority.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.FieldMask;
import dev.tokenauthority.api.v1.Client;
import dev.tokenauthority.api.v1.DeleteClientRequest;
import dev.tokenauthority.api.v1.FeedMessage;
import dev.tokenauthority.api.v1.IntrospectRequest;
import dev.tokenauthority.api.v1.IntrospectResponse;
import dev.tokenauthority.api.v1.RevocationFeedServiceGrpc;
import dev.tokenauthority.api.v1.RotateClientSecretRequest;
import dev.tokenauthority.api.v1.SubscribeRequest;
import dev.tokenauthority.api.v1.UpdateClientRequest;
import dev.tokenauthority.authority.client.ClientStore;
import dev.tokenauthority.authority.client.SubscriberAccess;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.crypto.Secrets;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A revocation-feed stream ends when its client loses the right to it, over real gRPC: at once
 * when the change is made through this replica's admin API, within the re-check interval when
 * it is made elsewhere (another replica, straight in the database).
 *
 * <p>Proves G7 of docs/guarantees.md.
 */
abstract class FeedAccessContract {

    /** Well below the periodic re-check: a stream ending this fast was ended by the admin call's signal. */
    private static final Duration SIGNALLED_END = Duration.ofSeconds(3);

    AuthorityFixture fx;
    String admin;

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void start() {
        fx = new AuthorityFixture(kind());
        admin = fx.loginAdmin().getAccessToken();
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    @Test
    void rotatingTheSubscribersSecretEndsItsStreamAsUnauthenticated() {
        Iterator<FeedMessage> stream = subscribe(SIGNALLED_END);
        fx.admin(admin).rotateClientSecret(RotateClientSecretRequest.newBuilder()
                .setClientId(DemoData.SIDECAR_CLIENT).setReason("leaked").build());
        assertThat(endOf(stream)).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void removingFeedSubscribeEndsTheStreamAsPermissionDenied() {
        Iterator<FeedMessage> stream = subscribe(SIGNALLED_END);
        updateSidecarClient(Client.newBuilder().setClientId(DemoData.SIDECAR_CLIENT).build(), "permissions");
        assertThat(endOf(stream)).isEqualTo(Status.Code.PERMISSION_DENIED);
    }

    @Test
    void disablingTheSubscribersClientEndsItsStreamAsUnauthenticated() {
        Iterator<FeedMessage> stream = subscribe(SIGNALLED_END);
        updateSidecarClient(Client.newBuilder().setClientId(DemoData.SIDECAR_CLIENT).setDisabled(true).build(),
                "disabled");
        assertThat(endOf(stream)).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void deletingTheSubscribersClientEndsItsStreamAsUnauthenticated() {
        Iterator<FeedMessage> stream = subscribe(SIGNALLED_END);
        fx.admin(admin).deleteClient(DeleteClientRequest.newBuilder().setClientId(DemoData.SIDECAR_CLIENT)
                .setReason("decommissioned").build());
        assertThat(endOf(stream)).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void aSecretRotatedElsewhereEndsTheStreamWithinTheRecheckInterval() {
        Iterator<FeedMessage> stream = subscribe(SubscriberAccess.DEFAULT_RECHECK_INTERVAL.plus(SIGNALLED_END));
        // As another replica would: committed in the database, with no signal to this one.
        fx.authority.transactor().useTransaction(h -> h.store(ClientStore.class)
                .updateSecretHash(DemoData.SIDECAR_CLIENT, Secrets.hash("another secret"), fx.clock.instant()));
        assertThat(endOf(stream)).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void changingAnotherClientLeavesTheStreamRunning() {
        Iterator<FeedMessage> stream = subscribe(SIGNALLED_END);
        fx.admin(admin).rotateClientSecret(RotateClientSecretRequest.newBuilder()
                .setClientId(AuthorityFixture.BACKEND_CLIENT).build());
        // Heartbeats go on until the test's own deadline ends the call.
        assertThat(endOf(stream)).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    }

    @Test
    void aDisabledClientCannotAuthenticateUntilItIsEnabledAgain() {
        String token = fx.login(AuthorityFixture.ALICE).getAccessToken();
        updateSidecarClient(Client.newBuilder().setClientId(DemoData.SIDECAR_CLIENT).setDisabled(true).build(),
                "disabled");
        assertThatThrownBy(() -> introspect(token)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThat(endOf(RevocationFeedServiceGrpc.newBlockingStub(fx.channel()).subscribe(SubscribeRequest
                .newBuilder().setClientId(DemoData.SIDECAR_CLIENT).setClientSecret(fx.sidecarSecret).build())))
                .isEqualTo(Status.Code.UNAUTHENTICATED);

        updateSidecarClient(Client.newBuilder().setClientId(DemoData.SIDECAR_CLIENT).setDisabled(false).build(),
                "disabled");
        assertThat(introspect(token).getActive()).isTrue();
    }

    IntrospectResponse introspect(String token) {
        return fx.auth().introspect(IntrospectRequest.newBuilder().setClientId(DemoData.SIDECAR_CLIENT)
                .setClientSecret(fx.sidecarSecret).setToken(token).build());
    }

    /** Subscribes as the demo sidecar and reads the snapshot; the call ends by {@code deadline} at the latest. */
    Iterator<FeedMessage> subscribe(Duration deadline) {
        Iterator<FeedMessage> stream = RevocationFeedServiceGrpc.newBlockingStub(fx.channel())
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .subscribe(SubscribeRequest.newBuilder().setClientId(DemoData.SIDECAR_CLIENT)
                        .setClientSecret(fx.sidecarSecret).setSidecarId("feed-access-test").build());
        while (stream.next().getMessageCase() != FeedMessage.MessageCase.SNAPSHOT_END) {
            // snapshot chunks
        }
        return stream;
    }

    /** Reads the stream (heartbeats) until it ends, and returns how. */
    static Status.Code endOf(Iterator<FeedMessage> stream) {
        try {
            while (stream.hasNext()) {
                stream.next();
            }
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    void updateSidecarClient(Client client, String path) {
        fx.admin(admin).updateClient(UpdateClientRequest.newBuilder().setClient(client)
                .setUpdateMask(FieldMask.newBuilder().addPaths(path)).setReason("access withdrawn").build());
    }
}
