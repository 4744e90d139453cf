package dev.tokenauthority.bench;

import dev.tokenauthority.api.v1.AuthServiceGrpc.AuthServiceBlockingStub;
import dev.tokenauthority.api.v1.IntrospectResponse;
import dev.tokenauthority.api.v1.TokenPair;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * One client of an {@link AuthorityLoad} cell: blocking calls back to back (closed loop), its loop
 * state and its private histogram (no sharing on the hot path).
 */
final class AuthorityLoadClient implements Runnable {

    /** Histograms track latencies up to this; longer calls are clamped (the call deadline is lower). */
    static final long MAX_TRACKED_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final AuthorityOperation op;
    private final int index;
    private final AuthServiceBlockingStub stub;
    private final CyclicBarrier start;
    private final long[] phase; // [0] = measure start, [1] = measure end (nanoTime), set by the barrier action
    private final AtomicLong issued;
    private final long maxOps;
    private final Duration callDeadline;
    private final AuthorityRequests requests;
    final Histogram histogram = new Histogram(MAX_TRACKED_NANOS, 3);
    final Map<Status.Code, Long> errors = new EnumMap<>(Status.Code.class);
    long measured;
    long lastCompletion;
    Throwable failure;
    private TokenPair pair;

    /** {@code issued} counts the calls of the whole cell against {@code maxOps}. */
    AuthorityLoadClient(AuthorityOperation op, int index, AuthServiceBlockingStub stub, CyclicBarrier start, long[] phase,
            AtomicLong issued, long maxOps, Duration callDeadline, AuthorityRequests requests) {
        this.op = op;
        this.index = index;
        this.stub = stub;
        this.start = start;
        this.phase = phase;
        this.issued = issued;
        this.maxOps = maxOps;
        this.callDeadline = callDeadline;
        this.requests = requests;
    }

    @Override
    public void run() {
        try {
            if (op != AuthorityOperation.LOGIN) {
                pair = login(); // setup, not measured
            }
            start.await();
            long measureStart = phase[0];
            long measureEnd = phase[1];
            while (issued.incrementAndGet() <= maxOps) {
                long t0 = System.nanoTime();
                Status.Code error = callOnce();
                long t1 = System.nanoTime();
                if (t0 >= measureStart) {
                    if (error == null) {
                        histogram.recordValue(Math.min(t1 - t0, MAX_TRACKED_NANOS));
                        measured++;
                        lastCompletion = t1;
                    } else {
                        errors.merge(error, 1L, Long::sum);
                    }
                }
                if (error != null && op == AuthorityOperation.REFRESH) {
                    pair = login(); // the chain is broken; start a new session
                }
                if (t1 >= measureEnd || Thread.currentThread().isInterrupted()) {
                    break;
                }
            }
        } catch (Throwable t) {
            failure = t;
            start.reset(); // release the others from the barrier so the cell ends now
        }
    }

    /** One call; null on success, else the status code. */
    private Status.Code callOnce() {
        AuthServiceBlockingStub s = stub.withDeadlineAfter(callDeadline.toMillis(), TimeUnit.MILLISECONDS);
        try {
            switch (op) {
                case LOGIN -> s.login(requests.login(index));
                case REFRESH -> pair = s.refresh(requests.refresh(pair));
                case INTROSPECT -> {
                    IntrospectResponse r = s.introspect(requests.introspect(pair));
                    if (!r.getActive()) {
                        return Status.Code.FAILED_PRECONDITION; // stands for "answered inactive"
                    }
                }
            }
            return null;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    /**
     * The client's set-up login. Clients start together and the authority hashes only a few passwords at once,
     * refusing the rest with RESOURCE_EXHAUSTED ("retry later"): so it does, as a real client would.
     */
    private TokenPair login() {
        for (int attempt = 1; ; attempt++) {
            try {
                return stub.withDeadlineAfter(callDeadline.toMillis(), TimeUnit.MILLISECONDS).login(requests.login(index));
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.RESOURCE_EXHAUSTED || attempt >= 100) {
                    throw e;
                }
                try {
                    Thread.sleep(Math.min(200, 20L * attempt));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
