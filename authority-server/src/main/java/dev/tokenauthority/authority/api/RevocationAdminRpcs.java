package dev.tokenauthority.authority.api;

import static dev.tokenauthority.authority.api.RequestFields.reason;
import static dev.tokenauthority.authority.api.RequestFields.required;

import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.RevocationResult;
import dev.tokenauthority.api.v1.RevokeAllSessionsRequest;
import dev.tokenauthority.api.v1.RevokeSessionRequest;
import dev.tokenauthority.api.v1.RevokeTokenRequest;
import dev.tokenauthority.api.v1.RevokeUserTokensRequest;
import dev.tokenauthority.authority.access.Permission;
import dev.tokenauthority.authority.admin.AdminRevocations;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

/** RevokeToken, RevokeSession, RevokeUserTokens and RevokeAllSessions. */
public final class RevocationAdminRpcs {

    private final AdminCalls calls;
    private final AdminRevocations revocations;

    public RevocationAdminRpcs(AdminCalls calls, AdminRevocations revocations) {
        this.calls = calls;
        this.revocations = revocations;
    }

    /** Binds this group's methods of AdminService (see {@link AdminGrpcService}). */
    void bindTo(ServerServiceDefinition.Builder admin) {
        admin.addMethod(AdminServiceGrpc.getRevokeTokenMethod(), ServerCalls.asyncUnaryCall(this::revokeToken));
        admin.addMethod(AdminServiceGrpc.getRevokeSessionMethod(), ServerCalls.asyncUnaryCall(this::revokeSession));
        admin.addMethod(AdminServiceGrpc.getRevokeUserTokensMethod(),
                ServerCalls.asyncUnaryCall(this::revokeUserTokens));
        admin.addMethod(AdminServiceGrpc.getRevokeAllSessionsMethod(),
                ServerCalls.asyncUnaryCall(this::revokeAllSessions));
    }

    void revokeToken(RevokeTokenRequest request, StreamObserver<RevocationResult> observer) {
        calls.unary(observer, Permission.TOKENS_WRITE, context -> toResult(revocations.revokeToken(
                required("token_id", request.getTokenId()), reason("reason", request.getReason()), context)));
    }

    void revokeSession(RevokeSessionRequest request, StreamObserver<RevocationResult> observer) {
        calls.unary(observer, Permission.SESSIONS_WRITE, context -> toResult(revocations.revokeSession(
                required("session_id", request.getSessionId()), reason("reason", request.getReason()), context)));
    }

    void revokeUserTokens(RevokeUserTokensRequest request, StreamObserver<RevocationResult> observer) {
        calls.unary(observer, Permission.SESSIONS_WRITE, context -> toResult(revocations.revokeUserTokens(
                required("user_id", request.getUserId()), reason("reason", request.getReason()), context)));
    }

    void revokeAllSessions(RevokeAllSessionsRequest request, StreamObserver<RevocationResult> observer) {
        calls.unary(observer, Permission.SESSIONS_WRITE, context -> toResult(revocations.revokeAllSessions(
                reason("reason", request.getReason()), request.getConfirm(), context)));
    }

    static RevocationResult toResult(dev.tokenauthority.authority.revocation.RevocationResult result) {
        return RevocationResult.newBuilder()
                .setFeedSequence(result.feedSequence())
                .setRevokedRefreshTokens(result.revokedRefreshTokens())
                .setRevokedSessions(result.revokedSessions())
                .setRevokedAt(Timestamps.of(result.revokedAt()))
                .build();
    }
}
