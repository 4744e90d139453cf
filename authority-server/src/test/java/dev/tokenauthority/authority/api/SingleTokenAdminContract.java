package dev.tokenauthority.authority.api;

import static dev.tokenauthority.authority.testing.Calls.codeOf;
import static dev.tokenauthority.authority.testing.Calls.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import dev.tokenauthority.api.v1.BatchRevokeTokensRequest;
import dev.tokenauthority.api.v1.DeleteTokenRequest;
import dev.tokenauthority.api.v1.GetTokenRequest;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.ResumeTokenRequest;
import dev.tokenauthority.api.v1.SuspendTokenRequest;
import dev.tokenauthority.api.v1.Token;
import dev.tokenauthority.api.v1.TokenDetails;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.TokenStatus;
import dev.tokenauthority.api.v1.UpdateTokenRequest;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One token through real gRPC: its details, suspension, deletion and expiry, on H2 and PostgreSQL. */
abstract class SingleTokenAdminContract extends TokenAdminContractBase {

    @Test
    void detailsShowTheSessionTheLatestAccessTokenAndTheAuditHistory() {
        TokenPair pair = fx.auth().login(dev.tokenauthority.api.v1.LoginRequest.newBuilder()
                .setClientId(DemoData.APP_CLIENT).setUsername(AuthorityFixture.ALICE).setPassword(DemoData.USER_PASSWORD)
                .setDevice(dev.tokenauthority.api.v1.Device.newBuilder().setUserAgent("Firefox/130").setName("laptop"))
                .build());
        admin.updateToken(UpdateTokenRequest.newBuilder().setToken(Token.newBuilder()
                .setTokenId(pair.getRefreshTokenId()).setNote("checked by support"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("note")).setReason("ticket 42").build());
        TokenDetails details = admin.getToken(GetTokenRequest.newBuilder().setTokenId(pair.getRefreshTokenId()).build());
        assertThat(details.getToken().getNote()).isEqualTo("checked by support");
        assertThat(details.getSession().getUserAgent()).isEqualTo("Firefox/130");
        assertThat(details.getSession().getDeviceName()).isEqualTo("laptop");
        assertThat(details.getSession().getIp()).isNotEmpty();
        assertThat(details.getScopesList()).containsExactly("read", "write");
        assertThat(details.getAudienceList()).containsExactly(DemoData.AUDIENCE);
        assertThat(details.getTokenHashPrefix()).hasSize(8);
        assertThat(details.getLatestAccessToken().getClaimsJson()).contains("\"sid\":\"" + pair.getSessionId() + "\"",
                "\"client_id\":\"demo-app\"");
        String[] jwt = pair.getAccessToken().split("\\.");
        assertThat(new String(java.util.Base64.getUrlDecoder().decode(jwt[1]), StandardCharsets.UTF_8))
                .isEqualTo(details.getLatestAccessToken().getClaimsJson());
        assertThat(details.getAuditEventsList()).extracting(e -> e.getAction())
                .contains("session.login", "refresh_token.update");
        assertThat(details.getAuditEventsList()).filteredOn(e -> e.getAction().equals("refresh_token.update"))
                .singleElement().satisfies(e -> {
                    assertThat(e.getReason()).isEqualTo("ticket 42");
                    assertThat(e.getActorEmail()).isEqualTo(DemoData.ADMIN_EMAIL);
                    assertThat(e.getDetailsJson()).contains("note_after", "checked by support");
                });
        assertThat(codeOf(() -> admin.getToken(GetTokenRequest.newBuilder().setTokenId("rt_nope").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void aSuspendedTokenCannotRefreshAndItsAccessTokensAreDeniedUntilResumed() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        Token suspended = admin.suspendToken(SuspendTokenRequest.newBuilder().setTokenId(pair.getRefreshTokenId())
                .setReason("investigating").build());
        assertThat(suspended.getStatus()).isEqualTo(TokenStatus.TOKEN_STATUS_SUSPENDED);
        assertThat(codeOf(() -> fx.auth().refresh(RefreshRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                .setRefreshToken(pair.getRefreshToken()).build()))).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(codeOf(() -> admin.suspendToken(SuspendTokenRequest.newBuilder()
                .setTokenId(pair.getRefreshTokenId()).build()))).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(admin.resumeToken(ResumeTokenRequest.newBuilder().setTokenId(pair.getRefreshTokenId()).build())
                .getStatus()).isEqualTo(TokenStatus.TOKEN_STATUS_ACTIVE);
        assertThat(fx.auth().refresh(RefreshRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                .setRefreshToken(pair.getRefreshToken()).build()).getSessionId()).isEqualTo(pair.getSessionId());
    }

    @Test
    void onlyRevokedOrExpiredTokensCanBeDeletedAndTheirAuditStays() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        assertThat(codeOf(() -> admin.deleteToken(DeleteTokenRequest.newBuilder().setTokenId(pair.getRefreshTokenId())
                .build()))).isEqualTo(Status.Code.FAILED_PRECONDITION);
        admin.batchRevokeTokens(BatchRevokeTokensRequest.newBuilder().addTokenIds(pair.getRefreshTokenId()).build());
        admin.deleteToken(DeleteTokenRequest.newBuilder().setTokenId(pair.getRefreshTokenId()).setReason("cleanup").build());
        assertThat(codeOf(() -> admin.getToken(GetTokenRequest.newBuilder().setTokenId(pair.getRefreshTokenId()).build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        List<dev.tokenauthority.authority.audit.AuditEvent> history = fx.authority.transactor().read(
                h -> h.store(dev.tokenauthority.authority.audit.AuditStore.class).findByTarget(pair.getRefreshTokenId()));
        assertThat(history).extracting(e -> e.action()).contains("refresh_token.revoke", "refresh_token.delete");
    }

    @Test
    void updatingExpiryStaysWithinTheSessionAndTheMaskIsChecked() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        Timestamp inAnHour = Timestamp.newBuilder().setSeconds(fx.clock.instant().plusSeconds(3600).getEpochSecond()).build();
        Token updated = admin.updateToken(UpdateTokenRequest.newBuilder().setToken(Token.newBuilder()
                .setTokenId(pair.getRefreshTokenId()).setExpiresAt(inAnHour).addTags("vip").addTags("beta"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("expires_at").addPaths("tags")).build());
        assertThat(updated.getExpiresAt()).isEqualTo(inAnHour);
        assertThat(updated.getTagsList()).containsExactly("vip", "beta");
        Timestamp beyond = Timestamp.newBuilder().setSeconds(fx.clock.instant().plus(Duration.ofDays(31)).getEpochSecond()).build();
        assertThat(failure(() -> admin.updateToken(UpdateTokenRequest.newBuilder().setToken(Token.newBuilder()
                .setTokenId(pair.getRefreshTokenId()).setExpiresAt(beyond))
                .setUpdateMask(FieldMask.newBuilder().addPaths("expires_at")).build())).getStatus().getDescription())
                .startsWith("token.expires_at");
        assertThat(failure(() -> admin.updateToken(UpdateTokenRequest.newBuilder().setToken(Token.newBuilder()
                .setTokenId(pair.getRefreshTokenId())).setUpdateMask(FieldMask.newBuilder().addPaths("status")).build()))
                .getStatus().getDescription()).startsWith("update_mask");
    }
}
