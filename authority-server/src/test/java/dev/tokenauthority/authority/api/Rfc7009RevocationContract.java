package dev.tokenauthority.authority.api;

import static dev.tokenauthority.authority.testing.Calls.codeOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.RevokeRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.grant.GrantStore;
import dev.tokenauthority.authority.settings.AuthoritySettings;
import dev.tokenauthority.authority.settings.SettingsStore;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

/** RFC 7009 token revocation through real gRPC, on H2 and PostgreSQL. */
abstract class Rfc7009RevocationContract extends AuthApiContractBase {

    @Test
    void rfc7009AnswersOkForUnknownTokensAndIgnoresAWrongHint() {
        fx.auth().revoke(revokeByApp("ta_rt_AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").build());
        fx.auth().revoke(revokeByApp("not-a-token-at-all").build());
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        fx.auth().revoke(revokeByApp(pair.getAccessToken()).setTokenTypeHint("refresh_token").build());
        assertThat(introspect(pair.getAccessToken()).getActive()).isFalse();
        assertThat(introspect(pair.getRefreshToken()).getActive()).isTrue();
        fx.auth().revoke(revokeByApp(pair.getAccessToken()).build());
    }

    @Test
    void rfc7009RevokingARefreshTokenEndsItsSessionButKeepsTheGrantByDefault() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        fx.auth().revoke(revokeByApp(pair.getRefreshToken()).setTokenTypeHint("access_token").build());
        assertThat(introspect(pair.getRefreshToken()).getActive()).isFalse();
        assertThat(introspect(pair.getAccessToken()).getActive()).isFalse();
        assertThat(grantOfAliceToTheApp()).isPresent();
    }

    @Test
    void rfc7009WithRevocationDeletesGrantOnEndsEverySessionOfTheGrant() {
        fx.authority.transactor().useTransaction(h -> h.store(SettingsStore.class)
                .put(AuthoritySettings.REFRESH_REVOCATION_DELETES_GRANT, "true", fx.clock.instant()));
        TokenPair phone = fx.login(AuthorityFixture.ALICE);
        TokenPair laptop = fx.login(AuthorityFixture.ALICE);
        TokenPair bob = fx.login(AuthorityFixture.BOB);
        fx.auth().revoke(revokeByApp(phone.getRefreshToken()).build());
        assertThat(introspect(laptop.getRefreshToken()).getActive()).isFalse();
        assertThat(introspect(bob.getRefreshToken()).getActive()).isTrue();
        assertThat(grantOfAliceToTheApp()).isEmpty();
    }

    java.util.Optional<dev.tokenauthority.authority.grant.Grant> grantOfAliceToTheApp() {
        String aliceId = fx.user(AuthorityFixture.ALICE).id();
        return fx.authority.transactor().read(h -> h.store(GrantStore.class).find(aliceId, DemoData.APP_CLIENT));
    }

    @Test
    void rfc7009ClientsMayRevokeOnlyTheirOwnTokens() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        RevokeRequest byOther = RevokeRequest.newBuilder().setClientId(AuthorityFixture.OTHER_PUBLIC_CLIENT)
                .setToken(pair.getRefreshToken()).build();
        assertThat(codeOf(() -> fx.auth().revoke(byOther))).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(introspect(pair.getRefreshToken()).getActive()).isTrue();
    }
}
