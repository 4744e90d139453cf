package dev.tokenauthority.authority.api;

import static dev.tokenauthority.authority.api.RequestFields.reason;
import static dev.tokenauthority.authority.api.RequestFields.required;

import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.Client;
import dev.tokenauthority.api.v1.CreateClientRequest;
import dev.tokenauthority.api.v1.CreateClientResponse;
import dev.tokenauthority.api.v1.CreateUserRequest;
import dev.tokenauthority.api.v1.DeleteClientRequest;
import dev.tokenauthority.api.v1.DeleteClientResponse;
import dev.tokenauthority.api.v1.DeleteUserRequest;
import dev.tokenauthority.api.v1.DeleteUserResponse;
import dev.tokenauthority.api.v1.DisableUserRequest;
import dev.tokenauthority.api.v1.EnableUserRequest;
import dev.tokenauthority.api.v1.GetClientRequest;
import dev.tokenauthority.api.v1.GetSettingsRequest;
import dev.tokenauthority.api.v1.GetUserRequest;
import dev.tokenauthority.api.v1.ListAuditEventsRequest;
import dev.tokenauthority.api.v1.ListAuditEventsResponse;
import dev.tokenauthority.api.v1.ListClientsRequest;
import dev.tokenauthority.api.v1.ListClientsResponse;
import dev.tokenauthority.api.v1.ListGrantsRequest;
import dev.tokenauthority.api.v1.ListGrantsResponse;
import dev.tokenauthority.api.v1.ListUsersRequest;
import dev.tokenauthority.api.v1.ListUsersResponse;
import dev.tokenauthority.api.v1.RevocationResult;
import dev.tokenauthority.api.v1.RevokeGrantRequest;
import dev.tokenauthority.api.v1.RotateClientSecretRequest;
import dev.tokenauthority.api.v1.SetUserRolesRequest;
import dev.tokenauthority.api.v1.Settings;
import dev.tokenauthority.api.v1.UpdateClientRequest;
import dev.tokenauthority.api.v1.UpdateSettingsRequest;
import dev.tokenauthority.api.v1.User;
import dev.tokenauthority.authority.access.Permission;
import dev.tokenauthority.authority.audit.AuditListing;
import dev.tokenauthority.authority.client.ClientAdministration;
import dev.tokenauthority.authority.client.ClientRegistration;
import dev.tokenauthority.authority.grant.GrantAdministration;
import dev.tokenauthority.authority.settings.SettingsAdministration;
import dev.tokenauthority.authority.user.UserAdministration;
import dev.tokenauthority.authority.fleet.AppliedWait;
import io.grpc.ServerServiceDefinition;
import java.time.Duration;
import java.util.Optional;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

/** Users, clients, grants, settings and audit: thin handlers over the directory's domain services. */
public final class DirectoryAdminRpcs {

    private final AdminCalls calls;
    private final UserAdministration users;
    private final ClientAdministration clients;
    private final GrantAdministration grants;
    private final SettingsAdministration settings;
    private final AuditListing audit;

    private final SidecarWaits sidecars;

    public DirectoryAdminRpcs(AdminCalls calls, UserAdministration users, ClientAdministration clients,
            GrantAdministration grants, SettingsAdministration settings, AuditListing audit, AppliedWait sidecars) {
        this.calls = calls;
        this.sidecars = new SidecarWaits(sidecars);
        this.users = users;
        this.clients = clients;
        this.grants = grants;
        this.settings = settings;
        this.audit = audit;
    }

    /** Binds this group's methods of AdminService (see {@link AdminGrpcService}). */
    void bindTo(ServerServiceDefinition.Builder admin) {
        admin.addMethod(AdminServiceGrpc.getCreateUserMethod(), ServerCalls.asyncUnaryCall(this::createUser));
        admin.addMethod(AdminServiceGrpc.getGetUserMethod(), ServerCalls.asyncUnaryCall(this::getUser));
        admin.addMethod(AdminServiceGrpc.getListUsersMethod(), ServerCalls.asyncUnaryCall(this::listUsers));
        admin.addMethod(AdminServiceGrpc.getSetUserRolesMethod(), ServerCalls.asyncUnaryCall(this::setUserRoles));
        admin.addMethod(AdminServiceGrpc.getDisableUserMethod(), ServerCalls.asyncUnaryCall(this::disableUser));
        admin.addMethod(AdminServiceGrpc.getEnableUserMethod(), ServerCalls.asyncUnaryCall(this::enableUser));
        admin.addMethod(AdminServiceGrpc.getDeleteUserMethod(), ServerCalls.asyncUnaryCall(this::deleteUser));
        admin.addMethod(AdminServiceGrpc.getCreateClientMethod(), ServerCalls.asyncUnaryCall(this::createClient));
        admin.addMethod(AdminServiceGrpc.getGetClientMethod(), ServerCalls.asyncUnaryCall(this::getClient));
        admin.addMethod(AdminServiceGrpc.getListClientsMethod(), ServerCalls.asyncUnaryCall(this::listClients));
        admin.addMethod(AdminServiceGrpc.getUpdateClientMethod(), ServerCalls.asyncUnaryCall(this::updateClient));
        admin.addMethod(AdminServiceGrpc.getRotateClientSecretMethod(),
                ServerCalls.asyncUnaryCall(this::rotateClientSecret));
        admin.addMethod(AdminServiceGrpc.getDeleteClientMethod(), ServerCalls.asyncUnaryCall(this::deleteClient));
        admin.addMethod(AdminServiceGrpc.getListGrantsMethod(), ServerCalls.asyncUnaryCall(this::listGrants));
        admin.addMethod(AdminServiceGrpc.getRevokeGrantMethod(), ServerCalls.asyncUnaryCall(this::revokeGrant));
        admin.addMethod(AdminServiceGrpc.getGetSettingsMethod(), ServerCalls.asyncUnaryCall(this::getSettings));
        admin.addMethod(AdminServiceGrpc.getUpdateSettingsMethod(), ServerCalls.asyncUnaryCall(this::updateSettings));
        admin.addMethod(AdminServiceGrpc.getListAuditEventsMethod(), ServerCalls.asyncUnaryCall(this::listAuditEvents));
    }

    // ---- Users ----

    void createUser(CreateUserRequest request, StreamObserver<User> observer) {
        calls.unary(observer, Permission.USERS_WRITE, context -> DirectoryMessages.user(users.create(
                required("email", request.getEmail()), required("password", request.getPassword()),
                RequestFields.names("roles", request.getRolesList()), context)));
    }

    void getUser(GetUserRequest request, StreamObserver<User> observer) {
        calls.unary(observer, Permission.TOKENS_READ,
                context -> DirectoryMessages.user(users.get(required("user_id", request.getUserId()))));
    }

    void listUsers(ListUsersRequest request, StreamObserver<ListUsersResponse> observer) {
        calls.unary(observer, Permission.TOKENS_READ, context -> {
            var page = users.list(RequestFields.optional("query", request.getQuery()), request.getPageSize(),
                    RequestFields.optional("page_token", request.getPageToken()));
            ListUsersResponse.Builder response = ListUsersResponse.newBuilder().setTotalSize(page.totalSize());
            page.users().forEach(user -> response.addUsers(DirectoryMessages.user(user)));
            if (page.nextPageToken() != null) {
                response.setNextPageToken(page.nextPageToken());
            }
            return response.build();
        });
    }

    void setUserRoles(SetUserRolesRequest request, StreamObserver<User> observer) {
        calls.unary(observer, Permission.USERS_WRITE, context -> DirectoryMessages.user(users.setRoles(
                required("user_id", request.getUserId()), RequestFields.names("roles", request.getRolesList()),
                reason("reason", request.getReason()), context)));
    }

    void disableUser(DisableUserRequest request, StreamObserver<User> observer) {
        calls.unary(observer, Permission.USERS_WRITE, context -> DirectoryMessages.user(users.disable(
                required("user_id", request.getUserId()), reason("reason", request.getReason()), context)));
    }

    void enableUser(EnableUserRequest request, StreamObserver<User> observer) {
        calls.unary(observer, Permission.USERS_WRITE, context -> DirectoryMessages.user(users.enable(
                required("user_id", request.getUserId()), reason("reason", request.getReason()), context)));
    }

    void deleteUser(DeleteUserRequest request, StreamObserver<DeleteUserResponse> observer) {
        calls.unary(observer, Permission.USERS_WRITE, context -> DeleteUserResponse.newBuilder()
                .setFeedSequence(users.delete(required("user_id", request.getUserId()),
                        reason("reason", request.getReason()), context))
                .build());
    }

    // ---- Clients ----

    void createClient(CreateClientRequest request, StreamObserver<CreateClientResponse> observer) {
        calls.unary(observer, Permission.CLIENTS_WRITE, context -> {
            Client c = request.getClient();
            var spec = new ClientRegistration.Spec(required("client.client_id", c.getClientId()),
                    required("client.name", c.getName()), c.getConfidential(),
                    RequestFields.names("client.audiences", c.getAudiencesList()),
                    RequestFields.names("client.scopes", c.getScopesList()),
                    RequestFields.names("client.permissions", c.getPermissionsList()));
            return registered(clients.create(spec, DirectoryMessages.requestedLifetimes(c), context));
        });
    }

    void getClient(GetClientRequest request, StreamObserver<Client> observer) {
        calls.unary(observer, Permission.TOKENS_READ,
                context -> DirectoryMessages.client(clients.get(required("client_id", request.getClientId()))));
    }

    void listClients(ListClientsRequest request, StreamObserver<ListClientsResponse> observer) {
        calls.unary(observer, Permission.TOKENS_READ, context -> {
            var page = clients.list(request.getPageSize(), RequestFields.optional("page_token", request.getPageToken()));
            ListClientsResponse.Builder response = ListClientsResponse.newBuilder().setTotalSize(page.totalSize());
            page.clients().forEach(client -> response.addClients(DirectoryMessages.client(client)));
            if (page.nextPageToken() != null) {
                response.setNextPageToken(page.nextPageToken());
            }
            return response.build();
        });
    }

    void updateClient(UpdateClientRequest request, StreamObserver<Client> observer) {
        calls.unary(observer, Permission.CLIENTS_WRITE, context -> DirectoryMessages.client(clients.update(
                required("client.client_id", request.getClient().getClientId()),
                DirectoryMessages.clientChanges(request.getClient(), request.getUpdateMask()),
                reason("reason", request.getReason()), context)));
    }

    void rotateClientSecret(RotateClientSecretRequest request, StreamObserver<CreateClientResponse> observer) {
        calls.unary(observer, Permission.CLIENTS_WRITE, context -> registered(clients.rotateSecret(
                required("client_id", request.getClientId()), reason("reason", request.getReason()), context)));
    }

    void deleteClient(DeleteClientRequest request, StreamObserver<DeleteClientResponse> observer) {
        calls.unary(observer, Permission.CLIENTS_WRITE, context -> DeleteClientResponse.newBuilder()
                .setFeedSequence(clients.delete(required("client_id", request.getClientId()),
                        reason("reason", request.getReason()), context))
                .build());
    }

    // ---- Grants ----

    void listGrants(ListGrantsRequest request, StreamObserver<ListGrantsResponse> observer) {
        calls.unary(observer, Permission.TOKENS_READ, context -> {
            var page = grants.list(DirectoryMessages.emptyToNull(RequestFields.optional("user_id", request.getUserId())),
                    DirectoryMessages.emptyToNull(RequestFields.optional("client_id", request.getClientId())),
                    request.getPageSize(), RequestFields.optional("page_token", request.getPageToken()));
            ListGrantsResponse.Builder response = ListGrantsResponse.newBuilder();
            page.grants().forEach(grant -> response.addGrants(DirectoryMessages.grant(grant)));
            if (page.nextPageToken() != null) {
                response.setNextPageToken(page.nextPageToken());
            }
            return response.build();
        });
    }

    void revokeGrant(RevokeGrantRequest request, StreamObserver<RevocationResult> observer) {
        calls.unary(observer, Permission.SESSIONS_WRITE, context -> {
            Optional<Duration> wait = SidecarWaits.timeout(request.hasWaitForSidecars(), request.getWaitForSidecars());
            var result = grants.revoke(required("grant_id", request.getGrantId()),
                    reason("reason", request.getReason()), context);
            return sidecars.reply(RevocationAdminRpcs.toResult(result), result.feedSequence(), wait);
        });
    }

    // ---- Settings ----

    void getSettings(GetSettingsRequest request, StreamObserver<Settings> observer) {
        calls.unary(observer, Permission.TOKENS_READ, context -> DirectoryMessages.settings(settings.get()));
    }

    void updateSettings(UpdateSettingsRequest request, StreamObserver<Settings> observer) {
        calls.unary(observer, Permission.SETTINGS_WRITE, context -> DirectoryMessages.settings(settings.update(
                DirectoryMessages.settingsChanges(request.getSettings(), request.getUpdateMask()),
                reason("reason", request.getReason()), context)));
    }

    // ---- Audit ----

    void listAuditEvents(ListAuditEventsRequest request, StreamObserver<ListAuditEventsResponse> observer) {
        calls.unary(observer, Permission.AUDIT_READ, context -> {
            var page = audit.list(DirectoryMessages.auditQuery(request), request.getPageSize(),
                    RequestFields.optional("page_token", request.getPageToken()));
            ListAuditEventsResponse.Builder response = ListAuditEventsResponse.newBuilder();
            page.events().forEach(event -> response.addEvents(AdminMessages.auditEvent(event)));
            if (page.nextPageToken() != null) {
                response.setNextPageToken(page.nextPageToken());
            }
            return response.build();
        });
    }

    private static CreateClientResponse registered(ClientRegistration.Registered registered) {
        CreateClientResponse.Builder response = CreateClientResponse.newBuilder()
                .setClient(DirectoryMessages.client(registered.client()));
        if (registered.secret() != null) {
            response.setClientSecret(registered.secret());
        }
        return response.build();
    }
}
