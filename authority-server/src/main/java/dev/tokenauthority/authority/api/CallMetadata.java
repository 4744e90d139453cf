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
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Puts what the services need from the transport into the call's {@link Context}: the caller's
 * IP address (for audit and login throttling) and the authorization metadata (for admin calls).
 */
public final class CallMetadata implements ServerInterceptor {

    static final Context.Key<String> CALLER_IP = Context.key("caller-ip");
    static final Context.Key<String> AUTHORIZATION = Context.key("authorization");
    static final Context.Key<Boolean> VERIFIED_CLIENT_CERTIFICATE = Context.key("verified-client-certificate");

    private static final Metadata.Key<String> AUTHORIZATION_HEADER =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        Context context = Context.current()
                .withValue(CALLER_IP, ip(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)))
                .withValue(AUTHORIZATION, headers.get(AUTHORIZATION_HEADER))
                .withValue(VERIFIED_CLIENT_CERTIFICATE, hasPeerCertificate(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)));
        return Contexts.interceptCall(context, call, headers, next);
    }

    /** With client authentication required, a TLS session only exists if the peer's certificate verified. */
    private static boolean hasPeerCertificate(SSLSession session) {
        if (session == null) {
            return false;
        }
        try {
            return session.getPeerCertificates().length > 0;
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }

    static String ip(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return address == null ? null : "local";
    }
}
