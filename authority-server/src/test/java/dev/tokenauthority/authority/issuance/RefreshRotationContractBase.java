package dev.tokenauthority.authority.issuance;

import dev.tokenauthority.api.v1.IntrospectRequest;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.audit.AuditStore;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.authority.token.SessionStatus;
import dev.tokenauthority.authority.token.SessionStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the refresh rotation contracts share: an authority per test, refreshing as the app, and the checks of a
 * session's status and of its reuse audits. Each subclass covers one side of rotation, on H2 and PostgreSQL.
 */
abstract class RefreshRotationContractBase {

    AuthorityFixture fx;

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void start() {
        fx = new AuthorityFixture(kind());
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    TokenPair refresh(String refreshToken) {
        return fx.auth().refresh(RefreshRequest.newBuilder()
                .setClientId(DemoData.APP_CLIENT).setRefreshToken(refreshToken).build());
    }

    boolean isActive(String token) {
        return fx.auth().introspect(IntrospectRequest.newBuilder().setClientId(DemoData.SIDECAR_CLIENT)
                .setClientSecret(fx.sidecarSecret).setToken(token).build()).getActive();
    }

    SessionStatus sessionStatus(String sessionId) {
        return fx.authority.transactor().read(h -> h.store(SessionStore.class).findById(sessionId)).orElseThrow()
                .status();
    }

    long reuseAudits(String tokenId) {
        return fx.authority.transactor().read(h -> h.store(AuditStore.class).findByTarget(tokenId)).stream()
                .filter(e -> e.action().equals("refresh_token.reuse_detected")).count();
    }
}
