package dev.tokenauthority.authority.api;

import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.BatchRevokeTokensRequest;
import dev.tokenauthority.api.v1.BatchRevokeTokensResponse;
import dev.tokenauthority.api.v1.Client;
import dev.tokenauthority.api.v1.CreateClientRequest;
import dev.tokenauthority.api.v1.CreateClientResponse;
import dev.tokenauthority.api.v1.CreateUserRequest;
import dev.tokenauthority.api.v1.DeleteClientRequest;
import dev.tokenauthority.api.v1.DeleteClientResponse;
import dev.tokenauthority.api.v1.DeleteTokenRequest;
import dev.tokenauthority.api.v1.DeleteTokenResponse;
import dev.tokenauthority.api.v1.DeleteUserRequest;
import dev.tokenauthority.api.v1.DeleteUserResponse;
import dev.tokenauthority.api.v1.DisableUserRequest;
import dev.tokenauthority.api.v1.EnableUserRequest;
import dev.tokenauthority.api.v1.ExportChunk;
import dev.tokenauthority.api.v1.ExportTokensRequest;
import dev.tokenauthority.api.v1.GetClientRequest;
import dev.tokenauthority.api.v1.GetSettingsRequest;
import dev.tokenauthority.api.v1.GetTokenRequest;
import dev.tokenauthority.api.v1.GetUserRequest;
import dev.tokenauthority.api.v1.ListAuditEventsRequest;
import dev.tokenauthority.api.v1.ListAuditEventsResponse;
import dev.tokenauthority.api.v1.ListClientsRequest;
import dev.tokenauthority.api.v1.ListClientsResponse;
import dev.tokenauthority.api.v1.ListGrantsRequest;
import dev.tokenauthority.api.v1.ListGrantsResponse;
import dev.tokenauthority.api.v1.ListSessionsRequest;
import dev.tokenauthority.api.v1.ListSessionsResponse;
import dev.tokenauthority.api.v1.ListTokensRequest;
import dev.tokenauthority.api.v1.ListTokensResponse;
import dev.tokenauthority.api.v1.ListUsersRequest;
import dev.tokenauthority.api.v1.ListUsersResponse;
import dev.tokenauthority.api.v1.ResumeTokenRequest;
import dev.tokenauthority.api.v1.RevocationResult;
import dev.tokenauthority.api.v1.RevokeAllSessionsRequest;
import dev.tokenauthority.api.v1.RevokeGrantRequest;
import dev.tokenauthority.api.v1.RevokeSessionRequest;
import dev.tokenauthority.api.v1.RevokeTokenRequest;
import dev.tokenauthority.api.v1.RevokeUserTokensRequest;
import dev.tokenauthority.api.v1.RotateClientSecretRequest;
import dev.tokenauthority.api.v1.SetUserRolesRequest;
import dev.tokenauthority.api.v1.Settings;
import dev.tokenauthority.api.v1.SuspendTokenRequest;
import dev.tokenauthority.api.v1.Token;
import dev.tokenauthority.api.v1.TokenDetails;
import dev.tokenauthority.api.v1.UpdateClientRequest;
import dev.tokenauthority.api.v1.UpdateSettingsRequest;
import dev.tokenauthority.api.v1.UpdateTokenRequest;
import dev.tokenauthority.api.v1.User;
import io.grpc.stub.StreamObserver;

/**
 * AdminService over gRPC. One service on the wire, implemented by three groups of thin RPC
 * handlers: revocations, token and session administration, and the directory (users, clients,
 * grants, settings, audit). Each handler authenticates the bearer and checks the permission the
 * method names (see {@link AdminCalls}).
 */
public final class AdminGrpcService extends AdminServiceGrpc.AdminServiceImplBase {

    private final RevocationAdminRpcs revocations;
    private final TokenAdminRpcs tokens;
    private final DirectoryAdminRpcs directory;

    public AdminGrpcService(RevocationAdminRpcs revocations, TokenAdminRpcs tokens, DirectoryAdminRpcs directory) {
        this.revocations = revocations;
        this.tokens = tokens;
        this.directory = directory;
    }

    @Override
    public void listTokens(ListTokensRequest request, StreamObserver<ListTokensResponse> observer) {
        tokens.listTokens(request, observer);
    }

    @Override
    public void getToken(GetTokenRequest request, StreamObserver<TokenDetails> observer) {
        tokens.getToken(request, observer);
    }

    @Override
    public void suspendToken(SuspendTokenRequest request, StreamObserver<Token> observer) {
        tokens.suspendToken(request, observer);
    }

    @Override
    public void resumeToken(ResumeTokenRequest request, StreamObserver<Token> observer) {
        tokens.resumeToken(request, observer);
    }

    @Override
    public void deleteToken(DeleteTokenRequest request, StreamObserver<DeleteTokenResponse> observer) {
        tokens.deleteToken(request, observer);
    }

    @Override
    public void updateToken(UpdateTokenRequest request, StreamObserver<Token> observer) {
        tokens.updateToken(request, observer);
    }

    @Override
    public void batchRevokeTokens(BatchRevokeTokensRequest request, StreamObserver<BatchRevokeTokensResponse> observer) {
        tokens.batchRevokeTokens(request, observer);
    }

    @Override
    public void exportTokens(ExportTokensRequest request, StreamObserver<ExportChunk> observer) {
        tokens.exportTokens(request, observer);
    }

    @Override
    public void listSessions(ListSessionsRequest request, StreamObserver<ListSessionsResponse> observer) {
        tokens.listSessions(request, observer);
    }

    @Override
    public void createUser(CreateUserRequest request, StreamObserver<User> observer) {
        directory.createUser(request, observer);
    }

    @Override
    public void getUser(GetUserRequest request, StreamObserver<User> observer) {
        directory.getUser(request, observer);
    }

    @Override
    public void listUsers(ListUsersRequest request, StreamObserver<ListUsersResponse> observer) {
        directory.listUsers(request, observer);
    }

    @Override
    public void setUserRoles(SetUserRolesRequest request, StreamObserver<User> observer) {
        directory.setUserRoles(request, observer);
    }

    @Override
    public void disableUser(DisableUserRequest request, StreamObserver<User> observer) {
        directory.disableUser(request, observer);
    }

    @Override
    public void enableUser(EnableUserRequest request, StreamObserver<User> observer) {
        directory.enableUser(request, observer);
    }

    @Override
    public void deleteUser(DeleteUserRequest request, StreamObserver<DeleteUserResponse> observer) {
        directory.deleteUser(request, observer);
    }

    @Override
    public void createClient(CreateClientRequest request, StreamObserver<CreateClientResponse> observer) {
        directory.createClient(request, observer);
    }

    @Override
    public void getClient(GetClientRequest request, StreamObserver<Client> observer) {
        directory.getClient(request, observer);
    }

    @Override
    public void listClients(ListClientsRequest request, StreamObserver<ListClientsResponse> observer) {
        directory.listClients(request, observer);
    }

    @Override
    public void updateClient(UpdateClientRequest request, StreamObserver<Client> observer) {
        directory.updateClient(request, observer);
    }

    @Override
    public void rotateClientSecret(RotateClientSecretRequest request, StreamObserver<CreateClientResponse> observer) {
        directory.rotateClientSecret(request, observer);
    }

    @Override
    public void deleteClient(DeleteClientRequest request, StreamObserver<DeleteClientResponse> observer) {
        directory.deleteClient(request, observer);
    }

    @Override
    public void listGrants(ListGrantsRequest request, StreamObserver<ListGrantsResponse> observer) {
        directory.listGrants(request, observer);
    }

    @Override
    public void revokeGrant(RevokeGrantRequest request, StreamObserver<RevocationResult> observer) {
        directory.revokeGrant(request, observer);
    }

    @Override
    public void getSettings(GetSettingsRequest request, StreamObserver<Settings> observer) {
        directory.getSettings(request, observer);
    }

    @Override
    public void updateSettings(UpdateSettingsRequest request, StreamObserver<Settings> observer) {
        directory.updateSettings(request, observer);
    }

    @Override
    public void listAuditEvents(ListAuditEventsRequest request, StreamObserver<ListAuditEventsResponse> observer) {
        directory.listAuditEvents(request, observer);
    }

    @Override
    public void revokeToken(RevokeTokenRequest request, StreamObserver<RevocationResult> observer) {
        revocations.revokeToken(request, observer);
    }

    @Override
    public void revokeSession(RevokeSessionRequest request, StreamObserver<RevocationResult> observer) {
        revocations.revokeSession(request, observer);
    }

    @Override
    public void revokeUserTokens(RevokeUserTokensRequest request, StreamObserver<RevocationResult> observer) {
        revocations.revokeUserTokens(request, observer);
    }

    @Override
    public void revokeAllSessions(RevokeAllSessionsRequest request, StreamObserver<RevocationResult> observer) {
        revocations.revokeAllSessions(request, observer);
    }
}
