package dev.tokenauthority.sidecar.process;

import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.AdminServiceGrpc.AdminServiceBlockingStub;
import dev.tokenauthority.api.v1.AuthServiceGrpc;
import dev.tokenauthority.api.v1.AuthServiceGrpc.AuthServiceBlockingStub;
import dev.tokenauthority.api.v1.Client;
import dev.tokenauthority.api.v1.CreateClientRequest;
import dev.tokenauthority.api.v1.CreateUserRequest;
import dev.tokenauthority.api.v1.DisableUserRequest;
import dev.tokenauthority.api.v1.IntrospectRequest;
import dev.tokenauthority.api.v1.IssueTokensRequest;
import dev.tokenauthority.api.v1.LogoutRequest;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.RevocationResult;
import dev.tokenauthority.api.v1.RevokeRequest;
import dev.tokenauthority.api.v1.RevokeSessionRequest;
import dev.tokenauthority.api.v1.RevokeTokenRequest;
import dev.tokenauthority.api.v1.RevokeUserTokensRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import io.grpc.Channel;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The calls {@code RevocationDurabilityProcessTest} makes to one authority process: admin calls with an admin's
 * access token, and token calls as a confidential backend client that may issue tokens without a password (so a
 * test can mint thousands of sessions without hashing a password for each).
 */
final class DurabilityCalls {

    static final String BACKEND_CLIENT = "durability-backend";
    private static final String PASSWORD = "durability-test-password";
    /** Long enough for a call to a loaded authority, short enough that a hung one fails the round quickly. */
    private static final long CALL_SECONDS = 15;

    private final Channel channel;
    private final String adminToken;
    private final String backendSecret;

    DurabilityCalls(Channel channel, String adminToken, String backendSecret) {
        this.channel = channel;
        this.adminToken = adminToken;
        this.backendSecret = backendSecret;
    }

    /** Registers the backend client on a fresh database; returns its secret. */
    static String registerBackendClient(Channel channel, String adminToken) {
        return admin(channel, adminToken).createClient(CreateClientRequest.newBuilder().setClient(Client.newBuilder()
                        .setClientId(BACKEND_CLIENT).setName("durability test backend").setConfidential(true)
                        .addAudiences(DemoData.AUDIENCE).addScopes("read").addPermissions("tokens:issue"))
                .build()).getClientSecret();
    }

    /** The same credentials against another process (the restarted authority). */
    DurabilityCalls on(Channel other) {
        return new DurabilityCalls(other, adminToken, backendSecret);
    }

    String createUser(String email) {
        return admin().createUser(CreateUserRequest.newBuilder().setEmail(email).setPassword(PASSWORD).build())
                .getUserId();
    }

    TokenPair issue(String userId) {
        return auth().issueTokens(IssueTokensRequest.newBuilder().setClientId(BACKEND_CLIENT)
                .setClientSecret(backendSecret).setUserId(userId).addAllScopes(List.of("read"))
                .setAudience(DemoData.AUDIENCE).build());
    }

    TokenPair refresh(String refreshToken) {
        return auth().refresh(RefreshRequest.newBuilder().setClientId(BACKEND_CLIENT).setClientSecret(backendSecret)
                .setRefreshToken(refreshToken).build());
    }

    boolean isActive(String token) {
        return auth().introspect(IntrospectRequest.newBuilder().setClientId(BACKEND_CLIENT)
                .setClientSecret(backendSecret).setToken(token).build()).getActive();
    }

    void logout(String refreshToken) {
        auth().logout(LogoutRequest.newBuilder().setRefreshToken(refreshToken).build());
    }

    /** RFC 7009 revocation by the client the token was issued to. */
    void revokeAsClient(String token) {
        auth().revoke(RevokeRequest.newBuilder().setClientId(BACKEND_CLIENT).setClientSecret(backendSecret)
                .setToken(token).build());
    }

    RevocationResult revokeSession(String sessionId) {
        return admin().revokeSession(RevokeSessionRequest.newBuilder().setSessionId(sessionId)
                .setReason("durability test").build());
    }

    RevocationResult revokeToken(String tokenId) {
        return admin().revokeToken(RevokeTokenRequest.newBuilder().setTokenId(tokenId)
                .setReason("durability test").build());
    }

    RevocationResult revokeUserTokens(String userId) {
        return admin().revokeUserTokens(RevokeUserTokensRequest.newBuilder().setUserId(userId)
                .setReason("durability test").build());
    }

    void disableUser(String userId) {
        admin().disableUser(DisableUserRequest.newBuilder().setUserId(userId).setReason("durability test").build());
    }

    private AuthServiceBlockingStub auth() {
        return AuthServiceGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS);
    }

    private AdminServiceBlockingStub admin() {
        return admin(channel, adminToken);
    }

    private static AdminServiceBlockingStub admin(Channel channel, String adminToken) {
        return AdminServiceGrpc.newBlockingStub(channel).withInterceptors(AuthorityFixture.bearer(adminToken))
                .withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS);
    }
}
