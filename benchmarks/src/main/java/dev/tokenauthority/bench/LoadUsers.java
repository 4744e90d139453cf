package dev.tokenauthority.bench;

import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.AuthServiceGrpc;
import dev.tokenauthority.api.v1.CreateUserRequest;
import dev.tokenauthority.api.v1.LoginRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The accounts a load run logs in as: {@code load-1@example.com} ... {@code load-N@example.com},
 * created through the admin API (as the demo admin, over {@code admin-cli}) when missing, so that
 * each load client has an account of its own and the login throttle's per-account limit on
 * concurrent password checks never shapes the measurement.
 */
final class LoadUsers {

    private LoadUsers() {}

    static List<String> ensure(String host, int port, String adminUser, String adminPassword, String password,
            int count) throws InterruptedException {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(host, port, InsecureChannelCredentials.create())
                .build();
        try {
            String token = AuthServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .login(LoginRequest.newBuilder().setClientId("admin-cli").setUsername(adminUser)
                            .setPassword(adminPassword).build()).getAccessToken();
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
            var admin = AdminServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            List<String> users = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                String email = "load-" + i + "@example.com";
                try {
                    admin.withDeadlineAfter(30, TimeUnit.SECONDS).createUser(CreateUserRequest.newBuilder()
                            .setEmail(email).setPassword(password).build());
                } catch (StatusRuntimeException e) {
                    if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
                        throw e;
                    }
                }
                users.add(email);
            }
            return users;
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
