package dev.tokenauthority.authority.api;

import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.IntrospectRequest;
import dev.tokenauthority.api.v1.IntrospectResponse;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.RevokeRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.authority.token.SessionStatus;
import dev.tokenauthority.authority.token.SessionStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the auth API contracts share: an authority per test, introspection and RFC 7009 revocation as its clients, and
 * the parts of a JWT.
 */
abstract class AuthApiContractBase {

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

    IntrospectResponse introspect(String token) {
        return fx.auth().introspect(IntrospectRequest.newBuilder().setClientId(DemoData.SIDECAR_CLIENT)
                .setClientSecret(fx.sidecarSecret).setToken(token).build());
    }

    RevokeRequest.Builder revokeByApp(String token) {
        return RevokeRequest.newBuilder().setClientId(DemoData.APP_CLIENT).setToken(token);
    }

    /** A refresh as the trusted backend client, whose tokens {@link AuthorityFixture#issueTo} issues. */
    TokenPair refreshAsBackend(String refreshToken) {
        return fx.auth().refresh(RefreshRequest.newBuilder().setClientId(AuthorityFixture.BACKEND_CLIENT)
                .setClientSecret(fx.backendSecret).setRefreshToken(refreshToken).build());
    }

    /** {@code count} sessions of the user, one token pair each, issued to the backend client. */
    List<TokenPair> issue(String userId, int count) {
        List<TokenPair> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pairs.add(fx.issueTo(userId));
        }
        return pairs;
    }

    AdminServiceGrpc.AdminServiceBlockingStub admin() {
        return fx.admin(fx.loginAdmin().getAccessToken());
    }

    SessionStatus sessionStatus(String sessionId) {
        return fx.authority.transactor().read(tx -> tx.store(SessionStore.class).findById(sessionId)).orElseThrow()
                .status();
    }

    static String header(String jwt) {
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8);
    }

    static String payload(String jwt) {
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
    }
}
