package dev.tokenauthority.authority.api;

import dev.tokenauthority.api.v1.KeyServiceGrpc;
import dev.tokenauthority.api.v1.RevocationFeedServiceGrpc;
import io.grpc.BindableService;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import java.util.Set;

/**
 * What a feed-only replica answers: the revocation feed and the public JWK set, both read-only, and
 * nothing else. Every other call (login, refresh, admin, introspection, key rotation...) would write
 * to, or must see at once, a database this replica only reads as a hot standby, so it is refused
 * with FAILED_PRECONDITION, before any of its code runs, naming what to do instead.
 */
public final class FeedOnlyCalls implements ServerInterceptor {

    /** The calls a feed-only replica serves. */
    static final Set<String> SERVED = Set.of(
            RevocationFeedServiceGrpc.getSubscribeMethod().getFullMethodName(),
            RevocationFeedServiceGrpc.getAcknowledgeMethod().getFullMethodName(),
            KeyServiceGrpc.getGetJwksMethod().getFullMethodName());

    static final String REFUSAL = "this replica is feed-only (it reads a standby database and serves only "
            + "RevocationFeedService.Subscribe and Acknowledge, and KeyService.GetJwks): call a primary replica";

    private static final FeedOnlyCalls INSTANCE = new FeedOnlyCalls();

    private FeedOnlyCalls() {}

    /** {@code service} with every call but those a feed-only replica serves refused. */
    public static BindableService restrict(BindableService service) {
        return () -> ServerInterceptors.intercept(service, INSTANCE);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        if (SERVED.contains(call.getMethodDescriptor().getFullMethodName())) {
            return next.startCall(call, headers);
        }
        call.close(Status.FAILED_PRECONDITION.withDescription(REFUSAL), new Metadata());
        return new ServerCall.Listener<>() { };
    }
}
