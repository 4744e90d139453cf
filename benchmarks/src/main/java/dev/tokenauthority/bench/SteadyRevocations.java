package dev.tokenauthority.bench;

import dev.tokenauthority.api.v1.AdminServiceGrpc.AdminServiceBlockingStub;
import dev.tokenauthority.api.v1.RevocationResult;
import dev.tokenauthority.api.v1.RevokeTokenRequest;
import dev.tokenauthority.bench.RevocableTokens.Token;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Revokes access tokens through {@code AdminService/RevokeToken} at a steady rate: the i-th call
 * is sent at {@code start + i / rate} (or at once, if the previous call ran late), one at a time,
 * so the rate holds as long as a call takes less than {@code 1 / rate}.
 */
final class SteadyRevocations {

    /** One revocation: its feed sequence, when its call returned (System.nanoTime) and how long the call took. */
    record Revocation(long sequence, long returnedAtNanos, long callNanos) {}

    private final AdminServiceBlockingStub admin;
    private final Iterator<Token> tokens;
    private final double rate;

    SteadyRevocations(AdminServiceBlockingStub admin, List<Token> tokens, double rate) {
        this.admin = admin;
        this.tokens = tokens.iterator();
        this.rate = rate;
    }

    /** Makes {@code count} revocations at the rate; returns them in order. */
    List<Revocation> run(int count) {
        List<Revocation> done = new ArrayList<>(count);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            Token token = tokens.next();
            long sent = System.nanoTime();
            RevocationResult result = admin.withDeadlineAfter(10, TimeUnit.SECONDS).revokeToken(
                    RevokeTokenRequest.newBuilder().setTokenId(token.jti()).setReason("feed fan-out benchmark").build());
            long returned = System.nanoTime();
            if (result.getFeedSequence() == 0) {
                throw new IllegalStateException("RevokeToken of " + token.jti() + " revoked nothing");
            }
            done.add(new Revocation(result.getFeedSequence(), returned, returned - sent));
        }
        return done;
    }
}
