package dev.tokenauthority.sidecar.endtoend;

import dev.tokenauthority.api.v1.IntrospectRequest;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.ValidateResponse;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.DenialCases;
import dev.tokenauthority.authority.testing.Eventually;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.sidecar.server.StalePolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the liveness contracts share: an authority and a sidecar following its feed, and the three ways to ask about a
 * token (refresh it, introspect it, validate it once the sidecar has caught up).
 */
abstract class LivenessContractBase {

    AuthorityFixture authority;
    SidecarHarness sidecar;

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void start() throws Exception {
        authority = new AuthorityFixture(kind());
        sidecar = new SidecarHarness(authority, StalePolicy.FAIL_CLOSED, authority.clock);
        sidecar.awaitServing();
    }

    @AfterEach
    void stop() throws Exception {
        sidecar.close();
        authority.close();
    }

    TokenPair refresh(String refreshToken) {
        return authority.auth().refresh(RefreshRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                .setRefreshToken(refreshToken).build());
    }

    boolean introspectActive(String token) {
        return authority.auth().introspect(IntrospectRequest.newBuilder().setClientId(DemoData.SIDECAR_CLIENT)
                .setClientSecret(authority.sidecarSecret).setToken(token).build()).getActive();
    }

    /** Validates once the sidecar has applied everything the authority committed and its feed is fresh. */
    ValidateResponse validateOnceCaughtUp(String token) {
        long sequence = DenialCases.committedSequence(authority);
        Eventually.until(SidecarHarness.WAIT_LIMIT, "the sidecar to apply sequence " + sequence + " with a fresh feed",
                () -> sidecar.sidecar.state().appliedSequence() >= sequence && sidecar.sidecar.freshness().isFresh());
        return sidecar.validate(token);
    }
}
