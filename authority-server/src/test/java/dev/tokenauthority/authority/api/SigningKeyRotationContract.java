package dev.tokenauthority.authority.api;

import static dev.tokenauthority.authority.testing.Calls.codeOf;
import static dev.tokenauthority.authority.testing.Calls.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.GetJwksRequest;
import dev.tokenauthority.api.v1.RotateSigningKeyRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Rotating the signing key through real gRPC: who may, and how long the old key stays published, on H2 and
 * PostgreSQL.
 */
abstract class SigningKeyRotationContract extends AuthApiContractBase {

    @Test
    void aRotatedSigningKeyStaysPublishedUntilItsLastTokenHasExpired() {
        TokenPair before = fx.login(AuthorityFixture.ALICE);
        String admin = fx.loginAdmin().getAccessToken();
        String oldKid = fx.keys().getJwks(GetJwksRequest.getDefaultInstance()).getKeys(0).getKid();
        String newKid = fx.keysAs(admin).rotateSigningKey(RotateSigningKeyRequest.newBuilder().setReason("drill").build())
                .getKid();
        assertThat(newKid).isNotEqualTo(oldKid);
        TokenPair after = fx.login(AuthorityFixture.BOB);
        assertThat(header(after.getAccessToken())).contains(newKid);
        assertThat(introspect(before.getAccessToken()).getActive()).isTrue();
        assertThat(fx.keys().getJwks(GetJwksRequest.getDefaultInstance()).getKeysList())
                .extracting(k -> k.getKid()).containsExactlyInAnyOrder(oldKid, newKid);

        fx.clock.advance(Duration.ofHours(1).plusMinutes(1));
        assertThat(fx.keys().getJwks(GetJwksRequest.getDefaultInstance()).getKeysList())
                .extracting(k -> k.getKid()).containsExactly(newKid);
    }

    @Test
    void rotatingTheSigningKeyNeedsTheKeysWritePermission() {
        String viewer = fx.adminTokenOfRole("viewer");
        StatusRuntimeException denied = failure(() -> fx.keysAs(viewer).rotateSigningKey(
                RotateSigningKeyRequest.getDefaultInstance()));
        assertThat(denied.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(denied.getStatus().getDescription()).contains("keys:write");
        assertThat(codeOf(() -> fx.keys().rotateSigningKey(RotateSigningKeyRequest.getDefaultInstance())))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
    }
}
