package dev.tokenauthority.authority.api;

import io.grpc.stub.ServerCallStreamObserver;

/**
 * Lets a server-streaming call wait while the client is not reading, so a large stream (an
 * export, a snapshot) is produced only as fast as it is consumed and never piles up in memory.
 */
final class FlowControl {

    /** Re-checks readiness at least this often, in case a ready signal raced the wait. */
    private static final long RECHECK_MILLIS = 100;

    private final ServerCallStreamObserver<?> call;
    private final Object readiness = new Object();
    private volatile boolean cancelled;

    FlowControl(ServerCallStreamObserver<?> call) {
        this.call = call;
        call.setOnReadyHandler(this::signal);
        call.setOnCancelHandler(() -> {
            cancelled = true;
            signal();
        });
    }

    private void signal() {
        synchronized (readiness) {
            readiness.notifyAll();
        }
    }

    /** Blocks until the transport can take more; false once the client has gone away. */
    boolean awaitReady() throws InterruptedException {
        synchronized (readiness) {
            while (!cancelled && !call.isReady()) {
                readiness.wait(RECHECK_MILLIS);
            }
        }
        return !cancelled;
    }

    /** Blocks until the transport can take more or {@code millis} have passed; false once the client has gone away. */
    boolean awaitReady(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        synchronized (readiness) {
            for (long left = millis; !cancelled && !call.isReady() && left > 0;
                    left = (deadline - System.nanoTime()) / 1_000_000) {
                readiness.wait(Math.min(left, RECHECK_MILLIS));
            }
        }
        return !cancelled;
    }

    /** For bodies that cannot stop early any other way: throws once the client has gone away. */
    void awaitReadyOrAbort() {
        try {
            if (!awaitReady()) {
                throw new IllegalStateException("client cancelled the stream");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while streaming", e);
        }
    }

    boolean isCancelled() {
        return cancelled;
    }
}
