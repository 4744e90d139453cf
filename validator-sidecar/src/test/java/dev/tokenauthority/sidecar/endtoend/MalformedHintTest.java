package dev.tokenauthority.sidecar.endtoend;

import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_MALFORMED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.ValidateResponse;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.sidecar.server.StalePolicy;
import dev.tokenauthority.sidecar.validation.AcceptedAudiences;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A MALFORMED denial whose cause shows in the request (an empty token, the "Bearer " prefix sent along, no JWT at all)
 * carries a hint saying what to send instead, over real gRPC; a token shaped like a JWT gets none.
 */
class MalformedHintTest {

    private AuthorityFixture authority;
    private SidecarHarness sidecar;

    @BeforeEach
    void start() throws Exception {
        authority = new AuthorityFixture(TestDatabase.Kind.H2);
        sidecar = new SidecarHarness(authority, AcceptedAudiences.anyOf(DemoData.AUDIENCE), StalePolicy.FAIL_CLOSED,
                authority.clock);
        sidecar.awaitServing();
    }

    @AfterEach
    void stop() throws Exception {
        sidecar.close();
        authority.close();
    }

    @Test
    void anEmptyTokenABearerPrefixAndANonJwtEachGetAHintAndAValidTokenNone() {
        String token = authority.auth().login(LoginRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                .setUsername(AuthorityFixture.ALICE).setPassword(DemoData.USER_PASSWORD).build()).getAccessToken();

        assertMalformedWithHint(sidecar.validate(""), "the token field is empty", "without \"Bearer \"");
        assertMalformedWithHint(sidecar.validate("Bearer " + token), "starts with \"Bearer \"");
        assertMalformedWithHint(sidecar.validate("opaque-token"), "not a JWT", "this has 1");
        ValidateResponse valid = sidecar.validate(token);
        assertThat(valid.getValid()).isTrue();
        assertThat(valid.getHint()).isEmpty();
        ValidateResponse badSignature = sidecar.validate(token.substring(0, token.length() - 4) + "AAAA");
        assertThat(badSignature.getValid()).isFalse();
        assertThat(badSignature.getHint()).as("a JWT's inner faults are the reason's to tell").isEmpty();
    }

    private static void assertMalformedWithHint(ValidateResponse response, String... hint) {
        assertThat(response.getValid()).isFalse();
        assertThat(response.getReason()).isEqualTo(DENIAL_REASON_MALFORMED);
        assertThat(response.getHint()).contains(hint);
    }
}
