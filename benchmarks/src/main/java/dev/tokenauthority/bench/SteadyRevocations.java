package dev.tokenauthority.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.tokenauthority.api.v1.AdminServiceGrpc.AdminServiceFutureStub;
import dev.tokenauthority.api.v1.RevocationResult;
import dev.tokenauthority.api.v1.RevokeTokenRequest;
import dev.tokenauthority.bench.RevocableTokens.Token;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Revokes access tokens through {@code AdminService/RevokeToken} at a steady rate, open loop up to
 * a bound: the i-th call is sent at {@code start + i / rate} whether or not earlier calls have
 * returned, so a slow authority is still asked for the rate and shows it in its latencies (a
 * closed loop would slow down with it and hide that); but never more than {@link #MAX_IN_FLIGHT}
 * at once, since past the authority's connection pool the calls would only queue for a
 * connection and fail. The rate actually sent is reported.
 */
final class SteadyRevocations {

    /** One revocation: its feed sequence, when its call returned (System.nanoTime) and how long the call took. */
    record Revocation(long sequence, long returnedAtNanos, long callNanos) {}

    /** A phase's revocations, in the order sent, and the largest number of calls in flight at once. */
    record Phase(List<Revocation> revocations, int maxInFlight, double sendSeconds) {}

    /** Calls in flight at most: half the authority's default connection pool (16). */
    static final int MAX_IN_FLIGHT = 8;

    private final AdminServiceFutureStub admin;
    private final Iterator<Token> tokens;
    private final double rate;

    SteadyRevocations(AdminServiceFutureStub admin, List<Token> tokens, double rate) {
        this.admin = admin;
        this.tokens = tokens.iterator();
        this.rate = rate;
    }

    /** Sends {@code count} revocations at the rate and waits for all of them. */
    Phase run(int count) throws InterruptedException, ExecutionException {
        AtomicReferenceArray<Revocation> done = new AtomicReferenceArray<>(count);
        List<ListenableFuture<RevocationResult>> calls = new ArrayList<>(count);
        AtomicInteger inFlight = new AtomicInteger();
        Semaphore slots = new Semaphore(MAX_IN_FLIGHT);
        int maxInFlight = 0;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long wait = start + (long) (i * 1e9 / rate) - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            slots.acquire();
            Token token = tokens.next();
            int slot = i;
            long sent = System.nanoTime();
            maxInFlight = Math.max(maxInFlight, inFlight.incrementAndGet());
            ListenableFuture<RevocationResult> call = admin.withDeadlineAfter(60, TimeUnit.SECONDS).revokeToken(
                    RevokeTokenRequest.newBuilder().setTokenId(token.jti()).setReason("feed fan-out benchmark").build());
            Futures.addCallback(call, new FutureCallback<>() {
                @Override
                public void onSuccess(RevocationResult result) {
                    long returned = System.nanoTime();
                    inFlight.decrementAndGet();
                    slots.release();
                    done.set(slot, new Revocation(result.getFeedSequence(), returned, returned - sent));
                }

                @Override
                public void onFailure(Throwable t) {
                    inFlight.decrementAndGet();
                    slots.release();
                }
            }, MoreExecutors.directExecutor());
            calls.add(call);
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        for (ListenableFuture<RevocationResult> call : calls) {
            call.get();
        }
        List<Revocation> revocations = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            // The callback runs before get() returns only when it was added first; wait for the last ones.
            while (done.get(i) == null) {
                Thread.onSpinWait();
            }
            if (done.get(i).sequence() == 0) {
                throw new IllegalStateException("a RevokeToken call revoked nothing");
            }
            revocations.add(done.get(i));
        }
        return new Phase(revocations, maxInFlight, sendSeconds);
    }
}
