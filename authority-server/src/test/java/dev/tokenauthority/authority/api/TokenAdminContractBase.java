package dev.tokenauthority.authority.api;

import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.IntrospectRequest;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** What the token administration contracts share: an authority per test and a logged-in admin's stub. */
abstract class TokenAdminContractBase {

    AuthorityFixture fx;
    AdminServiceGrpc.AdminServiceBlockingStub admin;

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void start() {
        fx = new AuthorityFixture(kind());
        admin = fx.admin(fx.loginAdmin().getAccessToken());
    }

    /** Whether the authority's introspection (RFC 7662) calls the token active. */
    boolean isActive(String token) {
        return fx.auth().introspect(IntrospectRequest.newBuilder().setClientId(DemoData.SIDECAR_CLIENT)
                .setClientSecret(fx.sidecarSecret).setToken(token).build()).getActive();
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }
}
