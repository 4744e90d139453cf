package dev.tokenauthority.authority.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.IntrospectRequest;
import dev.tokenauthority.api.v1.IntrospectResponse;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.client.Client;
import dev.tokenauthority.authority.client.ClientRegistration;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 7662 introspection is scoped: a client learns about tokens issued to it or for an audience it
 * serves, and about any other token exactly what it would about an unknown one (section 2.2); the
 * user's email goes only to the token's own client or to a client holding introspect:email.
 */
abstract class IntrospectionScopeContract {

    static final IntrospectResponse INACTIVE = IntrospectResponse.newBuilder().setActive(false).build();

    abstract TestDatabase.Kind kind();

    AuthorityFixture fx;
    String billingSecret;
    String auditorSecret;

    @BeforeEach
    void start() {
        fx = new AuthorityFixture(kind());
        billingSecret = register("billing", List.of("billing-api"), List.of());
        auditorSecret = register("auditor", List.of(DemoData.AUDIENCE), List.of(Client.INTROSPECT_EMAIL));
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    private String register(String clientId, List<String> audiences, List<String> permissions) {
        return fx.authority.transactor().inTransaction(h -> fx.authority.clientRegistration().register(h,
                new ClientRegistration.Spec(clientId, clientId, true, audiences, List.of(), permissions),
                fx.clock.instant()).secret());
    }

    private IntrospectResponse introspect(String clientId, String secret, String token) {
        return fx.auth().introspect(IntrospectRequest.newBuilder().setClientId(clientId).setClientSecret(secret)
                .setToken(token).build());
    }

    @Test
    void aClientIntrospectingItsOwnTokenSeesItActiveWithTheEmail() {
        TokenPair own = fx.issueTo(fx.user(AuthorityFixture.ALICE).id());
        for (String token : List.of(own.getAccessToken(), own.getRefreshToken())) {
            IntrospectResponse answer = introspect(AuthorityFixture.BACKEND_CLIENT, fx.backendSecret, token);
            assertThat(answer.getActive()).isTrue();
            assertThat(answer.getClientId()).isEqualTo(AuthorityFixture.BACKEND_CLIENT);
            assertThat(answer.getUsername()).isEqualTo(AuthorityFixture.ALICE);
        }
    }

    @Test
    void aClientServingTheTokensAudienceSeesItActiveWithoutTheEmail() {
        TokenPair forApp = fx.login(AuthorityFixture.ALICE);
        for (String token : List.of(forApp.getAccessToken(), forApp.getRefreshToken())) {
            IntrospectResponse answer = introspect(DemoData.SIDECAR_CLIENT, fx.sidecarSecret, token);
            assertThat(answer.getActive()).isTrue();
            assertThat(answer.getAudList()).containsExactly(DemoData.AUDIENCE);
            assertThat(answer.getSub()).isEqualTo(fx.user(AuthorityFixture.ALICE).id());
            assertThat(answer.getUsername()).isEmpty();
        }
    }

    @Test
    void aClientHoldingIntrospectEmailSeesTheEmailOfTokensForItsAudience() {
        TokenPair forApp = fx.login(AuthorityFixture.ALICE);
        for (String token : List.of(forApp.getAccessToken(), forApp.getRefreshToken())) {
            assertThat(introspect("auditor", auditorSecret, token).getUsername()).isEqualTo(AuthorityFixture.ALICE);
        }
    }

    @Test
    void aForeignLiveTokenAnswersExactlyAsAnUnknownOne() {
        TokenPair forApp = fx.login(AuthorityFixture.ALICE);
        assertThat(introspect("billing", billingSecret, forApp.getAccessToken())).isEqualTo(INACTIVE);
        assertThat(introspect("billing", billingSecret, forApp.getRefreshToken())).isEqualTo(INACTIVE);
        assertThat(introspect("billing", billingSecret, "ta_rt_unknown.unknown")).isEqualTo(INACTIVE);
        // The same token is live for a client allowed to see it.
        assertThat(introspect(DemoData.SIDECAR_CLIENT, fx.sidecarSecret, forApp.getAccessToken()).getActive()).isTrue();
    }
}
