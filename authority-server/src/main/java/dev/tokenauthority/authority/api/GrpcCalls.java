package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.audit.Actor;
import dev.tokenauthority.authority.audit.CallContext;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where domain outcomes become gRPC answers: a result is sent and the call
 * completed; an {@link AuthorityException} becomes its status with its (secret-free) message;
 * anything else becomes INTERNAL with a generic description, its detail only in the server log.
 */
public final class GrpcCalls {

    private static final Logger LOG = LoggerFactory.getLogger(GrpcCalls.class);

    private GrpcCalls() {}

    public static <T> void unary(StreamObserver<T> observer, Supplier<T> call) {
        T response;
        try {
            response = call.get();
        } catch (RuntimeException e) {
            observer.onError(toStatus(e));
            return;
        }
        observer.onNext(response);
        observer.onCompleted();
    }

    /**
     * A server-streaming call whose body sends its own messages: completed when the body returns,
     * failed with the mapped status when it throws.
     */
    public static void stream(StreamObserver<?> observer, Runnable body) {
        try {
            body.run();
        } catch (RuntimeException e) {
            observer.onError(toStatus(e));
            return;
        }
        observer.onCompleted();
    }

    /** What the transport knows of the current call, for audit and throttling. */
    public static CallContext context() {
        return new CallContext(CallMetadata.CALLER_IP.get(), Actor.system());
    }

    public static String authorization() {
        return CallMetadata.AUTHORIZATION.get();
    }

    /** Whether the caller presented a client certificate that the mTLS listener verified. */
    public static boolean hasVerifiedClientCertificate() {
        return Boolean.TRUE.equals(CallMetadata.VERIFIED_CLIENT_CERTIFICATE.get());
    }

    static StatusRuntimeException toStatus(RuntimeException e) {
        if (e instanceof StatusRuntimeException status) {
            return status;
        }
        if (e instanceof AuthorityException domain) {
            if (domain.kind() == AuthorityException.Kind.UNAVAILABLE) {
                LOG.warn("unavailable: {} ({})", domain.getMessage(),
                        domain.getCause() == null ? "" : domain.getCause().getMessage());
            }
            return statusOf(domain.kind()).withDescription(domain.getMessage()).asRuntimeException();
        }
        LOG.error("unexpected failure", e);
        return Status.INTERNAL.withDescription("internal error").asRuntimeException();
    }

    private static Status statusOf(AuthorityException.Kind kind) {
        return switch (kind) {
            case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
            case UNAUTHENTICATED -> Status.UNAUTHENTICATED;
            case PERMISSION_DENIED -> Status.PERMISSION_DENIED;
            case NOT_FOUND -> Status.NOT_FOUND;
            case ALREADY_EXISTS -> Status.ALREADY_EXISTS;
            case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
            case RESOURCE_EXHAUSTED -> Status.RESOURCE_EXHAUSTED;
            case UNAVAILABLE -> Status.UNAVAILABLE;
        };
    }
}
