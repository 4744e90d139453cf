package dev.tokenauthority.bench;

import dev.tokenauthority.api.v1.AdminServiceGrpc.AdminServiceBlockingStub;
import dev.tokenauthority.api.v1.AuthServiceGrpc;
import dev.tokenauthority.api.v1.AuthServiceGrpc.AuthServiceBlockingStub;
import dev.tokenauthority.api.v1.Client;
import dev.tokenauthority.api.v1.CreateClientRequest;
import dev.tokenauthority.api.v1.CreateUserRequest;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.RevocationResult;
import dev.tokenauthority.api.v1.RevokeUserTokensRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.ValidateRequest;
import dev.tokenauthority.api.v1.ValidatorServiceGrpc;
import dev.tokenauthority.api.v1.ValidatorServiceGrpc.ValidatorServiceBlockingStub;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The authority calls {@link PeerBenchmark} makes, shaped like its Keycloak calls: one confidential
 * client and one user, created through the admin API (as the demo admin); Login and Refresh as that
 * client; Validate on a sidecar; the admin API's RevokeUserTokens. One channel (one HTTP/2
 * connection) to each server, shared by every load client.
 */
final class AuthorityCalls implements AutoCloseable {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final ManagedChannel authority;
    private final ManagedChannel sidecar;
    private final String adminUser;
    private final String adminPassword;
    private final String clientId;
    private final String password;
    private AdminServiceBlockingStub admin;
    private String clientSecret;

    /** {@code sidecarTarget} may be null when no Validate is measured. */
    AuthorityCalls(String authorityTarget, String sidecarTarget, String adminUser, String adminPassword,
            String clientId, String password) {
        this.authority = channel(authorityTarget);
        this.sidecar = sidecarTarget == null ? null : channel(sidecarTarget);
        this.adminUser = adminUser;
        this.adminPassword = adminPassword;
        this.clientId = clientId;
        this.password = password;
        renewAdminToken();
    }

    /** Logs the admin in again, so that a long run never presents an expired admin token. */
    void renewAdminToken() {
        admin = AdminLogin.adminStub(authority, adminUser, adminPassword);
    }

    /** Creates the confidential client: audience demo-api, scopes read and write. */
    void createClient() {
        clientSecret = admin().createClient(CreateClientRequest.newBuilder().setClient(Client.newBuilder()
                .setClientId(clientId).setName("Peer benchmark client").setConfidential(true)
                .addAudiences("demo-api").addScopes("read").addScopes("write")).build()).getClientSecret();
    }

    /** Creates a user with the common password; returns its id. */
    String createUser(String username) {
        return admin().createUser(CreateUserRequest.newBuilder().setEmail(username).setPassword(password).build())
                .getUserId();
    }

    TokenPair login(String username) {
        return auth().login(LoginRequest.newBuilder().setClientId(clientId).setClientSecret(clientSecret)
                .setUsername(username).setPassword(password).build());
    }

    TokenPair refresh(String refreshToken) {
        return auth().refresh(RefreshRequest.newBuilder().setClientId(clientId).setClientSecret(clientSecret)
                .setRefreshToken(refreshToken).build());
    }

    boolean validate(String accessToken) {
        ValidatorServiceBlockingStub stub = ValidatorServiceGrpc.newBlockingStub(sidecar)
                .withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return stub.validate(ValidateRequest.newBuilder().setToken(accessToken).build()).getValid();
    }

    RevocationResult revokeUserTokens(String userId, Duration timeout) {
        return admin.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS).revokeUserTokens(
                RevokeUserTokensRequest.newBuilder().setUserId(userId).setReason("peer benchmark").build());
    }

    private AuthServiceBlockingStub auth() {
        return AuthServiceGrpc.newBlockingStub(authority).withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private AdminServiceBlockingStub admin() {
        return admin.withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static ManagedChannel channel(String target) {
        return Grpc.newChannelBuilder(target, InsecureChannelCredentials.create()).build();
    }

    @Override
    public void close() throws InterruptedException {
        authority.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        if (sidecar != null) {
            sidecar.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
