package dev.tokenauthority.authority.api;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One log line per call, when it ends: method, status code, duration, the client id the request names, the
 * caller's address and a request id (see {@link RequestIds}), which the response carries back in
 * {@code x-request-id}. It reads nothing else of the call: no request field but {@code client_id}, no header but
 * {@code traceparent}, so no token, password, secret or Authorization value can reach the log through it.
 */
public final class RequestLog implements ServerInterceptor {

    public static final Metadata.Key<String> REQUEST_ID =
            Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> TRACEPARENT =
            Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);
    private static final String CLIENT_ID_FIELD = "client_id";
    /**
     * A client id is logged as sent only if it could be one: the caller chooses it, unauthenticated and before the
     * service validates it, so a newline or a quote in it would forge or spoof lines of the text log, and a
     * megabyte of it would be logged whole. Anything else is logged as {@link #UNLOGGABLE}.
     */
    private static final Pattern LOGGABLE_CLIENT_ID = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");
    private static final String UNLOGGABLE = "(not a client id)";

    private static final Logger LOG = LoggerFactory.getLogger(RequestLog.class);

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        LoggedCall<Q, R> logged = new LoggedCall<>(call, RequestIds.of(headers.get(TRACEPARENT)),
                CallMetadata.ip(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)));
        ServerCall.Listener<Q> listener = next.startCall(logged, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(Q message) {
                logged.noteClientId(message);
                super.onMessage(message);
            }

            @Override
            public void onCancel() {
                // The caller went away (or its deadline passed) before the server closed the call.
                logged.log(Status.CANCELLED);
                super.onCancel();
            }
        };
    }

    private static final class LoggedCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {

        /** A duration, not a point in time: the monotonic clock, not the authority's {@code Clock}. */
        private final long startNanos = System.nanoTime();
        private final String requestId;
        private final String caller;
        private final AtomicBoolean logged = new AtomicBoolean();
        private volatile boolean headersSent;
        private volatile String clientId;

        LoggedCall(ServerCall<Q, R> call, String requestId, String caller) {
            super(call);
            this.requestId = requestId;
            this.caller = caller;
        }

        @Override
        public void sendHeaders(Metadata headers) {
            headers.put(REQUEST_ID, requestId);
            headersSent = true;
            super.sendHeaders(headers);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            if (!headersSent) {
                // A trailers-only response (most errors): its trailers are the response's headers.
                trailers.put(REQUEST_ID, requestId);
            }
            log(status);
            super.close(status, trailers);
        }

        /** The first message's {@code client_id}, if its type has one: who the call is made for. */
        void noteClientId(Object message) {
            if (clientId != null || !(message instanceof Message proto)) {
                return;
            }
            FieldDescriptor field = proto.getDescriptorForType().findFieldByName(CLIENT_ID_FIELD);
            if (field != null && field.getJavaType() == FieldDescriptor.JavaType.STRING && !field.isRepeated()) {
                String value = (String) proto.getField(field);
                clientId = value.isEmpty() ? null : LOGGABLE_CLIENT_ID.matcher(value).matches() ? value : UNLOGGABLE;
            }
        }

        void log(Status status) {
            if (!logged.compareAndSet(false, true)) {
                return;
            }
            double millis = (System.nanoTime() - startNanos) / (double) TimeUnit.MILLISECONDS.toNanos(1);
            String method = getMethodDescriptor().getFullMethodName();
            LoggingEventBuilder line = LOG.atInfo()
                    .addKeyValue("method", method)
                    .addKeyValue("status", status.getCode().name())
                    .addKeyValue("duration_ms", Math.round(millis * 1000) / 1000.0);
            // A call made for no client (an admin's, a JWK set's) has no client_id, rather than the text log's
            // client_id="null", which reads as a client named null.
            if (clientId != null) {
                line.addKeyValue("client_id", clientId);
            }
            line.addKeyValue("caller", caller)
                    .addKeyValue("request_id", requestId)
                    .log("{} {}", method, status.getCode());
        }
    }
}
