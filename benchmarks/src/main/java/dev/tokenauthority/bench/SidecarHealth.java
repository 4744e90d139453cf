package dev.tokenauthority.bench;

import static dev.tokenauthority.bench.ReportFormat.human;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Waiting for a sidecar to be ready before measuring it. */
final class SidecarHealth {

    private SidecarHealth() {
    }

    /**
     * The sidecar answers NOT_SERVING until its first feed snapshot; waits for SERVING, bounded by
     * {@code timeout}, and otherwise fails naming {@code subject} and the last answer.
     */
    static void awaitServing(ManagedChannel channel, Duration timeout, String subject) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                ServingStatus status = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance()).getStatus();
                if (status == ServingStatus.SERVING) {
                    return;
                }
                last = status.name();
            } catch (StatusRuntimeException e) {
                last = e.getStatus().toString();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(subject + " not SERVING within " + human(timeout) + " (" + last + ")");
    }
}
