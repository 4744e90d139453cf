package dev.tokenauthority.authority.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.KeyServiceGrpc;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.access.AdminAccess;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every AdminService method and KeyService's admin methods, called with an empty request by a
 * user of each role holding an admin token: PERMISSION_DENIED naming the permission when the role
 * lacks it, and past the permission check (whatever the request then earns, e.g.
 * INVALID_ARGUMENT) when it has it. And the admin token model: every method refuses, naming what
 * is missing, an admin's token for another audience, one minted by IssueTokens, and an admin
 * token without the method's scope. The methods come from the service descriptor, so a new RPC
 * without an entry here fails the test.
 */
class RoleMatrixTest {

    /** The permission each method requires, as admin.proto documents it. */
    static final Map<String, String> REQUIRED = Map.ofEntries(
            Map.entry("ListTokens", "tokens:read"),
            Map.entry("GetToken", "tokens:read"),
            Map.entry("SuspendToken", "tokens:write"),
            Map.entry("ResumeToken", "tokens:write"),
            Map.entry("DeleteToken", "tokens:write"),
            Map.entry("UpdateToken", "tokens:write"),
            Map.entry("BatchRevokeTokens", "tokens:write"),
            Map.entry("ExportTokens", "tokens:read"),
            Map.entry("ListSessions", "tokens:read"),
            Map.entry("CreateUser", "users:write"),
            Map.entry("GetUser", "tokens:read"),
            Map.entry("ListUsers", "tokens:read"),
            Map.entry("SetUserRoles", "users:write"),
            Map.entry("DisableUser", "users:write"),
            Map.entry("EnableUser", "users:write"),
            Map.entry("DeleteUser", "users:write"),
            Map.entry("CreateClient", "clients:write"),
            Map.entry("GetClient", "tokens:read"),
            Map.entry("ListClients", "tokens:read"),
            Map.entry("UpdateClient", "clients:write"),
            Map.entry("RotateClientSecret", "clients:write"),
            Map.entry("DeleteClient", "clients:write"),
            Map.entry("ListGrants", "tokens:read"),
            Map.entry("RevokeGrant", "sessions:write"),
            Map.entry("GetSettings", "tokens:read"),
            Map.entry("UpdateSettings", "settings:write"),
            Map.entry("ListAuditEvents", "audit:read"),
            Map.entry("RevokeToken", "tokens:write"),
            Map.entry("RevokeSession", "sessions:write"),
            Map.entry("RevokeUserTokens", "sessions:write"),
            Map.entry("RevokeAllSessions", "sessions:write"),
            Map.entry("GetActivity", "tokens:read"),
            Map.entry("ListSidecars", "tokens:read"),
            Map.entry("CreateEventReceiver", "settings:write"),
            Map.entry("ListEventReceivers", "tokens:read"),
            Map.entry("GetEventReceiver", "tokens:read"),
            Map.entry("DeleteEventReceiver", "settings:write"),
            Map.entry("RotateSigningKey", "keys:write"),
            Map.entry("RevokeSigningKey", "keys:write"),
            Map.entry("RewrapSigningKeys", "keys:write"));

    /** What each role grants (the table in Role's documentation), written out independently of Role. */
    static final Map<String, Set<String>> GRANTED = Map.of(
            "viewer", Set.of("tokens:read", "audit:read"),
            "operator", Set.of("tokens:read", "audit:read", "tokens:write", "sessions:write"),
            "admin", Set.of("tokens:read", "audit:read", "tokens:write", "sessions:write", "users:write",
                    "clients:write", "settings:write", "keys:write"));

    /** The scope each permission needs in the token (README's table), written out independently of Permission. */
    static final Map<String, String> SCOPE = Map.of(
            "tokens:read", "admin:read", "audit:read", "admin:read",
            "tokens:write", "admin:write", "sessions:write", "admin:write",
            "users:write", "admin:users", "clients:write", "admin:clients",
            "settings:write", "admin:settings", "keys:write", "admin:keys");

    static AuthorityFixture fx;

    @BeforeAll
    static void start() {
        fx = new AuthorityFixture(TestDatabase.Kind.H2);
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    /** Every method under test: all of AdminService (from its descriptor) and KeyService's admin methods. */
    static List<MethodDescriptor<?, ?>> methods() {
        List<MethodDescriptor<?, ?>> methods = new ArrayList<>(AdminServiceGrpc.getServiceDescriptor().getMethods());
        methods.add(KeyServiceGrpc.getRotateSigningKeyMethod());
        methods.add(KeyServiceGrpc.getRevokeSigningKeyMethod());
        methods.add(KeyServiceGrpc.getRewrapSigningKeysMethod());
        return methods;
    }

    static Stream<String> roles() {
        return Stream.of("viewer", "operator", "admin");
    }

    @Test
    void everyMethodHasExactlyOneMatrixEntry() {
        List<String> names = methods().stream().map(MethodDescriptor::getBareMethodName).toList();
        assertThat(names).as("methods without a matrix entry").allSatisfy(name -> assertThat(REQUIRED).containsKey(name));
        assertThat(REQUIRED.keySet()).as("matrix entries without a method").containsExactlyInAnyOrderElementsOf(names);
    }

    @ParameterizedTest(name = "a user with role {0}")
    @MethodSource("roles")
    void eachRoleIsDeniedExactlyTheMethodsItsPermissionsDoNotCover(String role) {
        String email = "role-" + role + "@example.com";
        fx.createUser(email, List.of(role));
        TokenPair admin = fx.loginAdmin(email);
        assertThat(admin.getScopesList()).as("the scopes the role grants")
                .containsExactlyInAnyOrderElementsOf(GRANTED.get(role).stream().map(SCOPE::get).distinct().toList());
        Channel channel = ClientInterceptors.intercept(fx.channel(), AuthorityFixture.bearer(admin.getAccessToken()));

        Map<String, String> wrong = new TreeMap<>();
        for (MethodDescriptor<?, ?> method : methods()) {
            String name = method.getBareMethodName();
            String permission = REQUIRED.get(name);
            Status status = call(channel, method);
            boolean granted = GRANTED.get(role).contains(permission);
            if (granted && (status.getCode() == Status.Code.PERMISSION_DENIED
                    || status.getCode() == Status.Code.UNAUTHENTICATED)) {
                wrong.put(name, "has " + permission + " but got " + status);
            }
            if (!granted && (status.getCode() != Status.Code.PERMISSION_DENIED
                    || status.getDescription() == null || !status.getDescription().contains(permission))) {
                wrong.put(name, "lacks " + permission + " but got " + status);
            }
        }
        assertThat(wrong).as("methods answering %s wrongly", role).isEmpty();
    }

    @Test
    void aUserWithoutAnAdminRoleGetsNoAdminToken() {
        fx.createUser("no-role@example.com", List.of("app-role"));
        assertThatThrownBy(() -> fx.loginAdmin("no-role@example.com"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(e.getStatus().getDescription()).contains("admin scopes");
                });
    }

    @Test
    void everyMethodRefusesAnAdminsTokenForAnotherAudience() {
        TokenPair appToken = fx.login(DemoData.ADMIN_EMAIL);
        assertThat(everyMethodDenied(appToken.getAccessToken(), AdminAccess.AUDIENCE)).isEmpty();
    }

    @Test
    void everyMethodRefusesAnAdminsTokenMintedByIssueTokens() {
        TokenPair minted = fx.issueTo(fx.user(DemoData.ADMIN_EMAIL).id());
        assertThat(everyMethodDenied(minted.getAccessToken(), AdminAccess.AUDIENCE)).isEmpty();
    }

    @Test
    void anAdminTokenOpensOnlyTheMethodsOfItsScopes() {
        TokenPair readOnly = fx.auth().login(LoginRequest.newBuilder().setClientId(AdminAccess.CLI_CLIENT)
                .setUsername(DemoData.ADMIN_EMAIL).setPassword(DemoData.ADMIN_PASSWORD).addScopes("admin:read").build());
        assertThat(readOnly.getScopesList()).containsExactly("admin:read");
        Channel channel = ClientInterceptors.intercept(fx.channel(), AuthorityFixture.bearer(readOnly.getAccessToken()));
        Map<String, String> wrong = new TreeMap<>();
        for (MethodDescriptor<?, ?> method : methods()) {
            String scope = SCOPE.get(REQUIRED.get(method.getBareMethodName()));
            Status status = call(channel, method);
            boolean denied = status.getCode() == Status.Code.PERMISSION_DENIED;
            if (scope.equals("admin:read") == denied
                    || denied && !status.getDescription().contains("missing scope " + scope)) {
                wrong.put(method.getBareMethodName(), "needs " + scope + ", got " + status);
            }
        }
        assertThat(wrong).as("methods answering an admin:read token wrongly").isEmpty();
    }

    /** The methods that do not answer PERMISSION_DENIED mentioning {@code reason} to this token. */
    private static Map<String, String> everyMethodDenied(String accessToken, String reason) {
        Channel channel = ClientInterceptors.intercept(fx.channel(), AuthorityFixture.bearer(accessToken));
        Map<String, String> wrong = new TreeMap<>();
        for (MethodDescriptor<?, ?> method : methods()) {
            Status status = call(channel, method);
            if (status.getCode() != Status.Code.PERMISSION_DENIED || !status.getDescription().contains(reason)) {
                wrong.put(method.getBareMethodName(), status.toString());
            }
        }
        return wrong;
    }

    @Test
    void everyMethodWithoutABearerIsUnauthenticated() {
        Map<String, String> wrong = new TreeMap<>();
        for (MethodDescriptor<?, ?> method : methods()) {
            Status status = call(fx.channel(), method);
            if (status.getCode() != Status.Code.UNAUTHENTICATED) {
                wrong.put(method.getBareMethodName(), status.toString());
            }
        }
        assertThat(wrong).as("methods not refusing an anonymous caller").isEmpty();
    }

    /** Calls the method with its empty request; the status it ends with (OK when it succeeds). */
    @SuppressWarnings("unchecked")
    static Status call(Channel channel, MethodDescriptor<?, ?> descriptor) {
        MethodDescriptor<Message, Message> method = (MethodDescriptor<Message, Message>) descriptor;
        Message request = ((MethodDescriptor.PrototypeMarshaller<Message>) method.getRequestMarshaller())
                .getMessagePrototype();
        try {
            if (method.getType() == MethodDescriptor.MethodType.SERVER_STREAMING) {
                Iterator<Message> responses = ClientCalls.blockingServerStreamingCall(channel, method,
                        CallOptions.DEFAULT, request);
                responses.forEachRemaining(response -> { });
            } else {
                ClientCalls.blockingUnaryCall(channel, method, CallOptions.DEFAULT, request);
            }
            return Status.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
    }
}
