package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.access.Permission;
import dev.tokenauthority.authority.admin.AdminAuthenticator;
import dev.tokenauthority.authority.admin.AdminPrincipal;
import dev.tokenauthority.authority.audit.CallContext;
import io.grpc.stub.StreamObserver;
import java.util.function.Function;

/**
 * The common frame of every admin RPC: authenticate the bearer, check the permission, run the
 * call as that administrator, map the outcome (see {@link GrpcCalls}).
 */
public final class AdminCalls {

    private final AdminAuthenticator admins;

    public AdminCalls(AdminAuthenticator admins) {
        this.admins = admins;
    }

    public <T> void unary(StreamObserver<T> observer, Permission permission, Function<CallContext, T> call) {
        GrpcCalls.unary(observer, () -> call.apply(authorize(permission)));
    }

    /** Authenticates and authorises the current call, returning its context with the admin as actor. */
    public CallContext authorize(Permission permission) {
        return authorize(GrpcCalls.authorization(), GrpcCalls.context(), permission);
    }

    /** The same for a call whose metadata was captured before leaving the gRPC thread. */
    public CallContext authorize(String authorization, CallContext caller, Permission permission) {
        AdminPrincipal admin = admins.authenticate(authorization);
        admin.require(permission);
        return caller.withActor(admin.actor());
    }
}
