package dev.tokenauthority.authority.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.AuthServiceGrpc;
import dev.tokenauthority.api.v1.FeedMessage;
import dev.tokenauthority.api.v1.IntrospectRequest;
import dev.tokenauthority.api.v1.RevocationFeedServiceGrpc;
import dev.tokenauthority.api.v1.RevokeSessionRequest;
import dev.tokenauthority.api.v1.RevokeSigningKeyRequest;
import dev.tokenauthority.api.v1.RotateSigningKeyRequest;
import dev.tokenauthority.api.v1.SubscribeRequest;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.Eventually;
import dev.tokenauthority.authority.testing.SecondReplica;
import dev.tokenauthority.authority.testing.TestDatabase;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two authority replicas on one PostgreSQL: a revocation made on one reaches subscribers of the other, and a signing
 * key revoked on one stops verifying on the other.
 */
class TwoReplicasPostgresTest {

    AuthorityFixture replicaA;
    SecondReplica replicaB;
    ManagedChannel channelB;

    @BeforeEach
    void start() throws Exception {
        replicaA = new AuthorityFixture(TestDatabase.Kind.POSTGRESQL);
        replicaB = new SecondReplica(replicaA);
        channelB = replicaB.channel();
    }

    @AfterEach
    void stop() throws Exception {
        replicaB.close();
        replicaA.close();
    }

    private boolean activeOnB(String accessToken) {
        return AuthServiceGrpc.newBlockingStub(channelB).introspect(IntrospectRequest.newBuilder()
                .setClientId(DemoData.SIDECAR_CLIENT).setClientSecret(replicaA.sidecarSecret).setToken(accessToken)
                .build()).getActive();
    }

    @Test
    void aSigningKeyRevokedOnOneReplicaStopsVerifyingOnTheOther() throws Exception {
        String signedByOld = replicaA.login(AuthorityFixture.ALICE).getAccessToken();
        assertThat(activeOnB(signedByOld)).isTrue();
        String oldKid = replicaA.authority.signingKeys().current().kid();
        replicaA.keysAs(replicaA.loginAdmin().getAccessToken())
                .rotateSigningKey(RotateSigningKeyRequest.newBuilder().setReason("drill").build());

        replicaA.keysAs(replicaA.loginAdmin().getAccessToken()).revokeSigningKey(
                RevokeSigningKeyRequest.newBuilder().setKid(oldKid).setReason("key leaked").build());

        Eventually.until(Duration.ofSeconds(10), "replica B to learn of the revocation from the log, not a timer",
                () -> !activeOnB(signedByOld));
    }

    @Test
    void aRevocationOnOneReplicaReachesASubscriberOfTheOther() {
        Iterator<FeedMessage> stream = RevocationFeedServiceGrpc.newBlockingStub(channelB)
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .subscribe(SubscribeRequest.newBuilder().setClientId(DemoData.SIDECAR_CLIENT)
                        .setClientSecret(replicaA.sidecarSecret).build());
        FeedMessage message = stream.next();
        while (!message.hasSnapshotEnd()) {
            message = stream.next();
        }
        String session = replicaA.login(AuthorityFixture.ALICE).getSessionId();
        long sequence = replicaA.admin(replicaA.loginAdmin().getAccessToken()).revokeSession(
                RevokeSessionRequest.newBuilder().setSessionId(session).build()).getFeedSequence();
        FeedMessage event = stream.next();
        while (event.hasHeartbeat()) {
            event = stream.next();
        }
        assertThat(event.getEvent().getSequence()).isEqualTo(sequence);
        assertThat(event.getEvent().getEntry().getRevokedSession().getSessionId()).isEqualTo(session);
    }
}
