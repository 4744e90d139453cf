package dev.tokenauthority.authority.api;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Puts what the services need from the transport into the call's {@link Context}: the caller's
 * IP address (for audit and login throttling) and the authorization metadata (for admin calls).
 */
public final class CallMetadata implements ServerInterceptor {

    static final Context.Key<String> CALLER_IP = Context.key("caller-ip");
    static final Context.Key<String> AUTHORIZATION = Context.key("authorization");

    private static final Metadata.Key<String> AUTHORIZATION_HEADER =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        Context context = Context.current()
                .withValue(CALLER_IP, ip(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)))
                .withValue(AUTHORIZATION, headers.get(AUTHORIZATION_HEADER));
        return Contexts.interceptCall(context, call, headers, next);
    }

    private static String ip(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return address == null ? null : "local";
    }
}
