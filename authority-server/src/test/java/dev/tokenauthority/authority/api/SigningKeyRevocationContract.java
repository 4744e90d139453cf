package dev.tokenauthority.authority.api;

import static dev.tokenauthority.authority.testing.Calls.codeOf;
import static dev.tokenauthority.authority.testing.Calls.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.GetJwksRequest;
import dev.tokenauthority.api.v1.IntrospectRequest;
import dev.tokenauthority.api.v1.RevokeSigningKeyRequest;
import dev.tokenauthority.api.v1.RotateSigningKeyRequest;
import dev.tokenauthority.api.v1.SigningKeyInfo;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.audit.AuditEvent;
import dev.tokenauthority.authority.audit.AuditStore;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.authority.token.RevocationKind;
import dev.tokenauthority.authority.token.RevocationLogStore;
import dev.tokenauthority.authority.token.RevocationLogStore.LogRow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * KeyService.RevokeSigningKey: its effect on the JWK set, the authority's verifier, the log and the audit trail.
 *
 * <p>Proves G12 of docs/guarantees.md.
 */
abstract class SigningKeyRevocationContract {

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

    private boolean active(String accessToken) {
        return fx.auth().introspect(IntrospectRequest.newBuilder().setClientId(DemoData.SIDECAR_CLIENT)
                .setClientSecret(fx.sidecarSecret).setToken(accessToken).build()).getActive();
    }

    private String currentKid() {
        return fx.authority.signingKeys().current().kid();
    }

    private SigningKeyInfo revoke(String kid, String reason) {
        return fx.keysAs(admin).revokeSigningKey(RevokeSigningKeyRequest.newBuilder().setKid(kid).setReason(reason)
                .build());
    }

    /** Rotates, then logs the admin in again: its token is signed by the key the test goes on to revoke. */
    private String rotate() {
        String kid = fx.keysAs(admin).rotateSigningKey(RotateSigningKeyRequest.newBuilder().setReason("drill")
                .build()).getKid();
        admin = fx.loginAdmin().getAccessToken();
        return kid;
    }

    private List<String> publishedKids() {
        return fx.keys().getJwks(GetJwksRequest.getDefaultInstance()).getKeysList().stream()
                .map(SigningKeyInfo::getKid).toList();
    }

    private List<LogRow> log() {
        return fx.authority.transactor().read(h -> h.store(RevocationLogStore.class).findAfter(0, 1000));
    }

    private List<AuditEvent> revokeAudits() {
        return fx.authority.transactor().read(h -> h.store(AuditStore.class).findByAction("signing_key.revoke"));
    }

    @Test
    void revokingARetiredKeyUnpublishesItAndKillsItsTokensAtTheAuthority() {
        TokenPair signedByOld = fx.login(AuthorityFixture.ALICE);
        String oldKid = currentKid();
        String newKid = rotate();
        TokenPair signedByNew = fx.login(AuthorityFixture.BOB);
        assertThat(active(signedByOld.getAccessToken())).isTrue();

        SigningKeyInfo revoked = revoke(oldKid, "key leaked");

        assertThat(revoked.getKid()).isEqualTo(oldKid);
        assertThat(revoked.hasRevokedAt()).isTrue();
        assertThat(publishedKids()).containsExactly(newKid);
        assertThat(fx.keys().getJwks(GetJwksRequest.getDefaultInstance()).getJwksJson()).doesNotContain(oldKid);
        assertThat(active(signedByOld.getAccessToken())).isFalse();
        assertThat(active(signedByNew.getAccessToken())).isTrue();
    }

    @Test
    void aRevocationIsAuditedWithItsReasonAndLogsTheNewKeySet() {
        String oldKid = currentKid();
        String newKid = rotate();

        revoke(oldKid, "key leaked");

        assertThat(revokeAudits()).singleElement().satisfies(event -> {
            assertThat(event.targetType()).isEqualTo("signing_key");
            assertThat(event.targetId()).isEqualTo(oldKid);
            assertThat(event.reason()).isEqualTo("key leaked");
            assertThat(event.actor().id()).isEqualTo(fx.user(DemoData.ADMIN_EMAIL).id());
        });
        LogRow last = log().get(log().size() - 1);
        assertThat(last.kind()).isEqualTo(RevocationKind.SIGNING_KEYS.name());
        assertThat(last.subject()).isEqualTo(oldKid);
        assertThat(last.payload()).contains(newKid).doesNotContain(oldKid);
    }

    @Test
    void revokingTheSameKeyTwiceChangesNothingTheSecondTime() {
        String oldKid = currentKid();
        rotate();
        SigningKeyInfo first = revoke(oldKid, "key leaked");
        int logSize = log().size();

        SigningKeyInfo second = revoke(oldKid, "again");

        assertThat(second.getRevokedAt()).isEqualTo(first.getRevokedAt());
        assertThat(log()).hasSize(logSize);
        assertThat(revokeAudits()).hasSize(1);
    }

    @Test
    void theCurrentKeyCannotBeRevokedBeforeAnotherIsCurrent() {
        String current = currentKid();
        int logSize = log().size();

        StatusRuntimeException refused = failure(() -> revoke(current, "key leaked"));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(refused.getStatus().getDescription()).contains("rotate first");
        assertThat(publishedKids()).containsExactly(current);
        assertThat(log()).hasSize(logSize);
        assertThat(revokeAudits()).isEmpty();
    }

    @Test
    void anUnknownKidIsNotFoundAndAMissingKidIsInvalid() {
        assertThat(codeOf(() -> revoke("no-such-kid", "r"))).isEqualTo(Status.Code.NOT_FOUND);
        StatusRuntimeException missing = failure(() -> fx.keysAs(admin).revokeSigningKey(
                RevokeSigningKeyRequest.newBuilder().setReason("r").build()));
        assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(missing.getStatus().getDescription()).contains("kid");
    }

    @Test
    void revokingASigningKeyNeedsTheKeysWritePermission() {
        String oldKid = currentKid();
        rotate();
        String viewer = fx.adminTokenOfRole("viewer");

        StatusRuntimeException denied = failure(() -> fx.keysAs(viewer).revokeSigningKey(
                RevokeSigningKeyRequest.newBuilder().setKid(oldKid).build()));

        assertThat(denied.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(denied.getStatus().getDescription()).contains("keys:write");
        assertThat(codeOf(() -> fx.keys().revokeSigningKey(RevokeSigningKeyRequest.newBuilder().setKid(oldKid).build())))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(publishedKids()).contains(oldKid);
    }
}
