package dev.tokenauthority.authority.metrics;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts every call by method and status code when it ends, and times unary calls: one interceptor, applied on the
 * gRPC port and on the gRPC-web listener alike (the same method names, one series for both).
 *
 * <p>Streaming calls (the revocation feed's Subscribe, ExportTokens) are counted when they end but kept out of the
 * latency histogram: a feed stream lasts hours, and its duration would bury the unary calls' in the top bucket. A
 * call the client cancels, or whose deadline passes, is counted as CANCELLED (the server sends no status then).
 *
 * <p>Labels: {@code method} is the full gRPC method name, from the services this authority registers (a closed set:
 * an unknown method never reaches an interceptor); {@code code} a gRPC status code name.
 */
final class RpcMetrics implements ServerInterceptor {

    private final Counter requests;
    private final Histogram durations;

    RpcMetrics(PrometheusRegistry registry) {
        requests = Counter.builder()
                .name("tokenauthority_grpc_requests_total")
                .help("gRPC calls (gRPC port and gRPC-web) by full method name and status code, counted when they end")
                .labelNames("method", "code")
                .withoutExemplars()
                .register(registry);
        durations = Histogram.builder()
                .name("tokenauthority_grpc_request_duration_seconds")
                .help("Time from a unary call's arrival to its status being sent, by full method name (streaming "
                        + "calls are not timed)")
                .labelNames("method")
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .classicOnly()
                .withoutExemplars()
                .register(registry);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        Ending ending = new Ending(call.getMethodDescriptor().getFullMethodName(),
                call.getMethodDescriptor().getType() == MethodType.UNARY, System.nanoTime());
        ServerCall<Q, R> observed = new SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                ending.record(status.getCode());
                super.close(status, trailers);
            }
        };
        return new SimpleForwardingServerCallListener<>(next.startCall(observed, headers)) {
            @Override
            public void onCancel() {
                ending.record(Status.Code.CANCELLED);
                super.onCancel();
            }
        };
    }

    /** One call's end, recorded once: a call that closed and then saw its transport cancel counts as closed. */
    private final class Ending {
        private final String method;
        private final boolean timed;
        private final long startNanos;
        private final AtomicBoolean recorded = new AtomicBoolean();

        Ending(String method, boolean timed, long startNanos) {
            this.method = method;
            this.timed = timed;
            this.startNanos = startNanos;
        }

        void record(Status.Code code) {
            if (!recorded.compareAndSet(false, true)) {
                return;
            }
            requests.labelValues(method, code.name()).inc();
            if (timed) {
                durations.labelValues(method).observe((System.nanoTime() - startNanos) / 1e9);
            }
        }
    }
}
