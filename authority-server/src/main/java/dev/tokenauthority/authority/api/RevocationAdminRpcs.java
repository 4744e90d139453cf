package dev.tokenauthority.authority.api;

import static dev.tokenauthority.authority.api.RequestFields.reason;
import static dev.tokenauthority.authority.api.RequestFields.required;
import static dev.tokenauthority.authority.api.SidecarWaits.timeout;

import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.RevocationResult;
import dev.tokenauthority.api.v1.RevokeAllSessionsRequest;
import dev.tokenauthority.api.v1.RevokeSessionRequest;
import dev.tokenauthority.api.v1.RevokeTokenRequest;
import dev.tokenauthority.api.v1.RevokeUserTokensRequest;
import dev.tokenauthority.authority.access.Permission;
import dev.tokenauthority.authority.admin.AdminRevocations;
import dev.tokenauthority.authority.fleet.AppliedWait;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Optional;

/** RevokeToken, RevokeSession, RevokeUserTokens and RevokeAllSessions, each able to wait for the sidecars. */
public final class RevocationAdminRpcs {

    private final AdminCalls calls;
    private final AdminRevocations revocations;
    private final SidecarWaits sidecars;

    public RevocationAdminRpcs(AdminCalls calls, AdminRevocations revocations, AppliedWait sidecars) {
        this.calls = calls;
        this.revocations = revocations;
        this.sidecars = new SidecarWaits(sidecars);
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
        calls.unary(observer, Permission.TOKENS_WRITE, context -> {
            Optional<Duration> wait = timeout(request.hasWaitForSidecars(), request.getWaitForSidecars());
            return reply(revocations.revokeToken(required("token_id", request.getTokenId()),
                    reason("reason", request.getReason()), context), wait);
        });
    }

    void revokeSession(RevokeSessionRequest request, StreamObserver<RevocationResult> observer) {
        calls.unary(observer, Permission.SESSIONS_WRITE, context -> {
            Optional<Duration> wait = timeout(request.hasWaitForSidecars(), request.getWaitForSidecars());
            return reply(revocations.revokeSession(required("session_id", request.getSessionId()),
                    reason("reason", request.getReason()), context), wait);
        });
    }

    void revokeUserTokens(RevokeUserTokensRequest request, StreamObserver<RevocationResult> observer) {
        calls.unary(observer, Permission.SESSIONS_WRITE, context -> {
            Optional<Duration> wait = timeout(request.hasWaitForSidecars(), request.getWaitForSidecars());
            return reply(revocations.revokeUserTokens(required("user_id", request.getUserId()),
                    reason("reason", request.getReason()), context), wait);
        });
    }

    void revokeAllSessions(RevokeAllSessionsRequest request, StreamObserver<RevocationResult> observer) {
        calls.unary(observer, Permission.SESSIONS_WRITE, context -> {
            Optional<Duration> wait = timeout(request.hasWaitForSidecars(), request.getWaitForSidecars());
            return reply(revocations.revokeAllSessions(reason("reason", request.getReason()), request.getConfirm(),
                    context), wait);
        });
    }

    /** The revocation's answer, once the sidecars have applied it if the request asked to wait. */
    private RevocationResult reply(dev.tokenauthority.authority.revocation.RevocationResult result,
            Optional<Duration> wait) {
        return sidecars.reply(toResult(result), result.feedSequence(), wait);
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
