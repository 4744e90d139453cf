package dev.tokenauthority.authority.api;

import static dev.tokenauthority.authority.api.RequestFields.reason;
import static dev.tokenauthority.authority.api.RequestFields.required;

import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.RevocationResult;
import dev.tokenauthority.api.v1.RevokeAllSessionsRequest;
import dev.tokenauthority.api.v1.RevokeSessionRequest;
import dev.tokenauthority.api.v1.RevokeTokenRequest;
import dev.tokenauthority.api.v1.RevokeUserTokensRequest;
import dev.tokenauthority.authority.admin.AdminAuthenticator;
import dev.tokenauthority.authority.admin.AdminPrincipal;
import dev.tokenauthority.authority.admin.AdminRevocations;
import dev.tokenauthority.authority.admin.Permission;
import dev.tokenauthority.authority.audit.CallContext;
import io.grpc.stub.StreamObserver;
import java.util.function.Function;
import java.util.function.Supplier;

/** AdminService over gRPC: authenticates the bearer, checks the permission, calls the domain. */
public final class AdminGrpcService extends AdminServiceGrpc.AdminServiceImplBase {

    private final AdminAuthenticator admins;
    private final AdminRevocations revocations;

    public AdminGrpcService(AdminAuthenticator admins, AdminRevocations revocations) {
        this.admins = admins;
        this.revocations = revocations;
    }

    @Override
    public void revokeToken(RevokeTokenRequest request, StreamObserver<RevocationResult> observer) {
        revocation(observer, Permission.TOKENS_WRITE, context -> revocations.revokeToken(
                required("token_id", request.getTokenId()), reason("reason", request.getReason()), context));
    }

    @Override
    public void revokeSession(RevokeSessionRequest request, StreamObserver<RevocationResult> observer) {
        revocation(observer, Permission.SESSIONS_WRITE, context -> revocations.revokeSession(
                required("session_id", request.getSessionId()), reason("reason", request.getReason()), context));
    }

    @Override
    public void revokeUserTokens(RevokeUserTokensRequest request, StreamObserver<RevocationResult> observer) {
        revocation(observer, Permission.SESSIONS_WRITE, context -> revocations.revokeUserTokens(
                required("user_id", request.getUserId()), reason("reason", request.getReason()), context));
    }

    @Override
    public void revokeAllSessions(RevokeAllSessionsRequest request, StreamObserver<RevocationResult> observer) {
        revocation(observer, Permission.SESSIONS_WRITE, context -> revocations.revokeAllSessions(
                reason("reason", request.getReason()), request.getConfirm(), context));
    }

    private void revocation(StreamObserver<RevocationResult> observer, Permission permission,
            Function<CallContext, dev.tokenauthority.authority.revocation.RevocationResult> call) {
        GrpcCalls.unary(observer, authorized(permission, context -> {
            var result = call.apply(context);
            return RevocationResult.newBuilder()
                    .setFeedSequence(result.feedSequence())
                    .setRevokedRefreshTokens(result.revokedRefreshTokens())
                    .setRevokedSessions(result.revokedSessions())
                    .setRevokedAt(Timestamps.of(result.revokedAt()))
                    .build();
        }));
    }

    /** Authenticates the caller and checks {@code permission} before running the call as them. */
    private <T> Supplier<T> authorized(Permission permission, Function<CallContext, T> call) {
        return () -> {
            AdminPrincipal admin = admins.authenticate(GrpcCalls.authorization());
            admin.require(permission);
            return call.apply(GrpcCalls.context().withActor(admin.actor()));
        };
    }
}
