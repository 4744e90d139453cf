package dev.tokenauthority.sidecar.endtoend;

import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_WRONG_AUDIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.ValidateResponse;
import dev.tokenauthority.authority.Transaction;
import dev.tokenauthority.authority.client.ClientRegistration;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.sidecar.server.StalePolicy;
import dev.tokenauthority.sidecar.validation.AcceptedAudiences;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sidecar's audiences against real tokens of three clients of one authority, each minting for its own audience
 * (demo-api, billing-api, shipping-api): a token passes if its aud names any configured audience; a request's
 * audience narrows the check and must itself be configured; any-audience is the explicit opt-out.
 */
class SidecarAudienceTest {

    private static final String BILLING = "billing-api";
    private static final String SHIPPING = "shipping-api";

    private AuthorityFixture authority;
    private SidecarHarness sidecar;
    private String demoToken;
    private String billingToken;
    private String shippingToken;

    @BeforeEach
    void start() {
        authority = new AuthorityFixture(TestDatabase.Kind.H2);
        authority.authority.transactor().useTransaction(h -> {
            register(h, "billing-app", BILLING);
            register(h, "shipping-app", SHIPPING);
        });
        demoToken = login(DemoData.APP_CLIENT);
        billingToken = login("billing-app");
        shippingToken = login("shipping-app");
    }

    @AfterEach
    void stop() throws Exception {
        if (sidecar != null) {
            sidecar.close();
        }
        authority.close();
    }

    @Test
    void aSidecarForSeveralAudiencesAcceptsATokenForAnyOfThemAndDeniesAnotherAsTheWrongAudience() throws Exception {
        follow(AcceptedAudiences.anyOf(DemoData.AUDIENCE, BILLING));

        assertThat(sidecar.validate(demoToken).getValid()).isTrue();
        assertThat(sidecar.validate(billingToken).getValid()).isTrue();
        ValidateResponse shipping = sidecar.validate(shippingToken);
        assertThat(shipping.getValid()).isFalse();
        assertThat(shipping.getReason()).isEqualTo(DENIAL_REASON_WRONG_AUDIENCE);
    }

    @Test
    void aRequestAudienceNarrowsTheConfiguredOnesButCannotAddOne() throws Exception {
        follow(AcceptedAudiences.anyOf(DemoData.AUDIENCE, BILLING));

        assertThat(sidecar.validate(billingToken, BILLING).getValid()).isTrue();
        assertThat(sidecar.validate(billingToken, DemoData.AUDIENCE).getReason()).isEqualTo(DENIAL_REASON_WRONG_AUDIENCE);
        // The token is for shipping-api, and the caller asks for shipping-api, but this sidecar does not serve it.
        assertThat(sidecar.validate(shippingToken, SHIPPING).getReason()).isEqualTo(DENIAL_REASON_WRONG_AUDIENCE);
    }

    @Test
    void anyAudienceAcceptsEveryAudienceOfTheIssuerUnlessTheRequestNamesOne() throws Exception {
        follow(AcceptedAudiences.any());

        assertThat(sidecar.validate(demoToken).getValid()).isTrue();
        assertThat(sidecar.validate(shippingToken).getValid()).isTrue();
        assertThat(sidecar.validate(shippingToken, SHIPPING).getValid()).isTrue();
        assertThat(sidecar.validate(shippingToken, BILLING).getReason()).isEqualTo(DENIAL_REASON_WRONG_AUDIENCE);
    }

    private void follow(AcceptedAudiences audiences) throws Exception {
        sidecar = new SidecarHarness(authority, audiences, StalePolicy.FAIL_CLOSED, authority.clock);
        sidecar.awaitServing();
    }

    private void register(Transaction h, String clientId, String audience) {
        authority.authority.clientRegistration().register(h, new ClientRegistration.Spec(clientId, clientId, false,
                List.of(audience), List.of("read"), List.of()), authority.clock.instant());
    }

    private String login(String clientId) {
        return authority.auth().login(LoginRequest.newBuilder().setClientId(clientId).setUsername(AuthorityFixture.ALICE)
                .setPassword(DemoData.USER_PASSWORD).build()).getAccessToken();
    }
}
