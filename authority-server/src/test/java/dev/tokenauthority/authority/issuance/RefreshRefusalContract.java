package dev.tokenauthority.authority.issuance;

import static dev.tokenauthority.authority.testing.Calls.codeOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

/** Refreshes refused before any rotation: the wrong client, a forged secret, a disabled user. */
abstract class RefreshRefusalContract extends RefreshRotationContractBase {

    @Test
    void aRefreshTokenPresentedByAnotherClientIsRefusedAndNotRotated() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        assertThat(codeOf(() -> fx.auth().refresh(RefreshRequest.newBuilder()
                .setClientId(AuthorityFixture.OTHER_PUBLIC_CLIENT).setRefreshToken(pair.getRefreshToken()).build())))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(refresh(pair.getRefreshToken()).getSessionId()).isEqualTo(pair.getSessionId());
    }

    @Test
    void aWrongSecretForAKnownTokenIdIsRefusedAndDoesNotRotate() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        String token = pair.getRefreshToken();
        String forged = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThat(codeOf(() -> refresh(forged))).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(refresh(token).getSessionId()).isEqualTo(pair.getSessionId());
    }

    @Test
    void anUnknownClientOrAPublicClientPresentingASecretIsRefusedAndRotatesNothing() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        assertThat(codeOf(() -> fx.auth().refresh(RefreshRequest.newBuilder()
                .setClientId("no-such-client").setRefreshToken(pair.getRefreshToken()).build())))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(codeOf(() -> fx.auth().refresh(RefreshRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                .setClientSecret("guess").setRefreshToken(pair.getRefreshToken()).build())))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(refresh(pair.getRefreshToken()).getSessionId()).isEqualTo(pair.getSessionId());
    }

    @Test
    void aDisabledUsersRefreshTokenIsRefusedAndNotRotated() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        setAliceDisabled(true);
        assertThat(codeOf(() -> refresh(pair.getRefreshToken()))).isEqualTo(Status.Code.UNAUTHENTICATED);
        setAliceDisabled(false);
        assertThat(refresh(pair.getRefreshToken()).getSessionId()).isEqualTo(pair.getSessionId());
    }

    private void setAliceDisabled(boolean disabled) {
        fx.db.jdbi().useTransaction(h -> h.createUpdate("UPDATE users SET disabled = :d WHERE email = :e")
                .bind("d", disabled).bind("e", AuthorityFixture.ALICE).execute());
    }
}
