package dev.tokenauthority.authority.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.AuditEvent;
import dev.tokenauthority.api.v1.CreateUserRequest;
import dev.tokenauthority.api.v1.IntrospectRequest;
import dev.tokenauthority.api.v1.ListAuditEventsRequest;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.User;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the directory administration contracts share: an authority with a logged-in admin's stub, and the helpers
 * that call it and check its answers. Each subclass covers one part of the directory, on H2 and PostgreSQL.
 */
abstract class DirectoryAdminContractBase {

    AuthorityFixture fx;
    AdminServiceGrpc.AdminServiceBlockingStub admin;
    String adminId;

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void start() {
        fx = new AuthorityFixture(kind());
        admin = fx.admin(fx.loginAdmin().getAccessToken());
        adminId = fx.user(DemoData.ADMIN_EMAIL).id();
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    static StatusRuntimeException failure(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("call succeeded");
    }

    /** Asserts the call fails with {@code code} and a description that starts with {@code field}. */
    static void assertFails(Status.Code code, String field, Runnable call) {
        Status status = failure(call).getStatus();
        assertThat(status.getCode()).as(status.toString()).isEqualTo(code);
        if (field != null) {
            assertThat(status.getDescription()).startsWith(field + ":");
        }
    }

    boolean isActive(String token) {
        return fx.auth().introspect(IntrospectRequest.newBuilder().setClientId(DemoData.SIDECAR_CLIENT)
                .setClientSecret(fx.sidecarSecret).setToken(token).build()).getActive();
    }

    TokenPair loginTo(String clientId, String email) {
        return fx.auth().login(LoginRequest.newBuilder().setClientId(clientId).setUsername(email)
                .setPassword(DemoData.USER_PASSWORD).build());
    }

    Status.Code refreshCode(TokenPair pair) {
        try {
            fx.auth().refresh(RefreshRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                    .setRefreshToken(pair.getRefreshToken()).build());
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    User createUser(String email, String... roles) {
        return admin.createUser(CreateUserRequest.newBuilder().setEmail(email).setPassword(DemoData.USER_PASSWORD)
                .addAllRoles(List.of(roles)).build());
    }

    List<AuditEvent> audit(String action, String targetId) {
        return admin.listAuditEvents(ListAuditEventsRequest.newBuilder().setAction(action).setTargetId(targetId)
                .build()).getEventsList();
    }

    static com.google.protobuf.Duration seconds(Duration d) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).build();
    }

    static FieldMask mask(String... paths) {
        return FieldMask.newBuilder().addAllPaths(List.of(paths)).build();
    }

    static Timestamp timestamp(java.time.Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    /** Every item of a paged listing, following next_page_token; asserts no page is larger than asked. */
    static <R, T> List<T> allPages(Function<String, R> call, Function<R, List<T>> items, Function<R, String> next,
            int pageSize) {
        List<T> all = new ArrayList<>();
        String token = "";
        do {
            R page = call.apply(token);
            assertThat(items.apply(page)).hasSizeLessThanOrEqualTo(pageSize);
            all.addAll(items.apply(page));
            token = next.apply(page);
        } while (!token.isEmpty());
        return all;
    }
}
