package dev.tokenauthority.authority.api;

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
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/** Users, clients, grants, settings and audit. (Work in progress: every method answers UNIMPLEMENTED.) */
public final class DirectoryAdminRpcs {

    void createUser(CreateUserRequest request, StreamObserver<User> observer) {
        observer.onError(Status.UNIMPLEMENTED.withDescription("CreateUser is not implemented yet").asRuntimeException());
    }

    void getUser(GetUserRequest request, StreamObserver<User> observer) {
        observer.onError(Status.UNIMPLEMENTED.withDescription("GetUser is not implemented yet").asRuntimeException());
    }

    void listUsers(ListUsersRequest request, StreamObserver<ListUsersResponse> observer) {
        observer.onError(Status.UNIMPLEMENTED.withDescription("ListUsers is not implemented yet").asRuntimeException());
    }

    void setUserRoles(SetUserRolesRequest request, StreamObserver<User> observer) {
        observer.onError(Status.UNIMPLEMENTED.withDescription("SetUserRoles is not implemented yet").asRuntimeException());
    }

    void disableUser(DisableUserRequest request, StreamObserver<User> observer) {
        observer.onError(Status.UNIMPLEMENTED.withDescription("DisableUser is not implemented yet").asRuntimeException());
    }

    void enableUser(EnableUserRequest request, StreamObserver<User> observer) {
        observer.onError(Status.UNIMPLEMENTED.withDescription("EnableUser is not implemented yet").asRuntimeException());
    }

    void deleteUser(DeleteUserRequest request, StreamObserver<DeleteUserResponse> observer) {
        observer.onError(Status.UNIMPLEMENTED.withDescription("DeleteUser is not implemented yet").asRuntimeException());
    }

    void createClient(CreateClientRequest request, StreamObserver<CreateClientResponse> observer) {
        observer.onError(Status.UNIMPLEMENTED.withDescription("CreateClient is not implemented yet").asRuntimeException());
    }

    void getClient(GetClientRequest request, StreamObserver<Client> observer) {
        observer.onError(Status.UNIMPLEMENTED.withDescription("GetClient is not implemented yet").asRuntimeException());
    }

    void listClients(ListClientsRequest request, StreamObserver<ListClientsResponse> observer) {
        observer.onError(Status.UNIMPLEMENTED.withDescription("ListClients is not implemented yet").asRuntimeException());
    }

    void updateClient(UpdateClientRequest request, StreamObserver<Client> observer) {
        observer.onError(Status.UNIMPLEMENTED.withDescription("UpdateClient is not implemented yet").asRuntimeException());
    }

    void rotateClientSecret(RotateClientSecretRequest request, StreamObserver<CreateClientResponse> observer) {
        observer.onError(Status.UNIMPLEMENTED.withDescription("RotateClientSecret is not implemented yet").asRuntimeException());
    }

    void deleteClient(DeleteClientRequest request, StreamObserver<DeleteClientResponse> observer) {
        observer.onError(Status.UNIMPLEMENTED.withDescription("DeleteClient is not implemented yet").asRuntimeException());
    }

    void listGrants(ListGrantsRequest request, StreamObserver<ListGrantsResponse> observer) {
        observer.onError(Status.UNIMPLEMENTED.withDescription("ListGrants is not implemented yet").asRuntimeException());
    }

    void revokeGrant(RevokeGrantRequest request, StreamObserver<RevocationResult> observer) {
        observer.onError(Status.UNIMPLEMENTED.withDescription("RevokeGrant is not implemented yet").asRuntimeException());
    }

    void getSettings(GetSettingsRequest request, StreamObserver<Settings> observer) {
        observer.onError(Status.UNIMPLEMENTED.withDescription("GetSettings is not implemented yet").asRuntimeException());
    }

    void updateSettings(UpdateSettingsRequest request, StreamObserver<Settings> observer) {
        observer.onError(Status.UNIMPLEMENTED.withDescription("UpdateSettings is not implemented yet").asRuntimeException());
    }

    void listAuditEvents(ListAuditEventsRequest request, StreamObserver<ListAuditEventsResponse> observer) {
        observer.onError(Status.UNIMPLEMENTED.withDescription("ListAuditEvents is not implemented yet").asRuntimeException());
    }
}
