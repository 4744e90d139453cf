package dev.tokenauthority.bench;

import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.AdminServiceGrpc.AdminServiceBlockingStub;
import dev.tokenauthority.api.v1.AuthServiceGrpc;
import dev.tokenauthority.api.v1.LoginRequest;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;

/** An AdminService stub carrying a fresh admin access token (password login as client admin-cli). */
final class AdminLogin {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private AdminLogin() {
    }

    static AdminServiceBlockingStub adminStub(ManagedChannel channel, String adminUser, String adminPassword) {
        return AdminServiceGrpc.newBlockingStub(channel).withInterceptors(bearer(channel, adminUser, adminPassword));
    }

    /** Logs in and returns an interceptor that sends the admin's access token with every call. */
    static ClientInterceptor bearer(ManagedChannel channel, String adminUser, String adminPassword) {
        String token = AuthServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .login(LoginRequest.newBuilder().setClientId("admin-cli").setUsername(adminUser)
                        .setPassword(adminPassword).build()).getAccessToken();
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }
}
