package dev.tokenauthority.authority.web;

import com.linecorp.armeria.server.ServiceRequestContext;
import io.grpc.Attributes;
import io.grpc.ForwardingServerCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.InetSocketAddress;

/**
 * Armeria's gRPC calls leave {@link ServerCall#getAttributes()} empty; this fills in the peer
 * address and TLS session from Armeria's request context, so the interceptors shared with the
 * gRPC port (caller IP for audit and throttling, mTLS peer) work unchanged on the web port.
 */
final class ArmeriaTransportAttributes implements ServerInterceptor {

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        ServiceRequestContext ctx = ServiceRequestContext.current();
        Attributes.Builder attributes = call.getAttributes().toBuilder()
                // The client's address as Armeria resolved it: the TCP peer, or, from a trusted reverse
                // proxy (--web-trusted-proxy), the address its forwarding headers name.
                .set(Grpc.TRANSPORT_ATTR_REMOTE_ADDR, new InetSocketAddress(ctx.clientAddress(), 0))
                .set(Grpc.TRANSPORT_ATTR_LOCAL_ADDR, ctx.localAddress());
        if (ctx.sslSession() != null) {
            attributes.set(Grpc.TRANSPORT_ATTR_SSL_SESSION, ctx.sslSession());
        }
        Attributes filled = attributes.build();
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public Attributes getAttributes() {
                return filled;
            }
        }, headers);
    }
}
