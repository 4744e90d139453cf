package dev.tokenauthority.sidecar.process;

import dev.tokenauthority.api.v1.TokenPair;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One client thread making revocations of mixed kinds against an authority, one after another, each on a session
 * it issued just before, until the authority stops answering. It records a revocation only once its response has
 * arrived: those are what the authority acknowledged, whatever happens to it next.
 */
final class RevocationStream implements AutoCloseable {

    /** The ways a session ends that a client can be told about, each made by its own RPC. */
    enum Kind {
        /** AuthService.Logout with the refresh token. */
        LOGOUT,
        /** AdminService.RevokeSession. */
        REVOKE_SESSION,
        /** AdminService.RevokeToken by the refresh token's id. */
        REVOKE_TOKEN,
        /** A rotated refresh token presented again: Refresh answers UNAUTHENTICATED and revokes the family. */
        REUSE_DETECTION,
        /** AuthService.Revoke (RFC 7009) of the refresh token; it may end the user's grant, so its own user. */
        CLIENT_REVOKE,
        /** AdminService.RevokeUserTokens, on a user of its own. */
        REVOKE_USER_TOKENS,
        /** AdminService.DisableUser, on a user of its own. */
        DISABLE_USER
    }

    /** A revocation the authority answered, and the newest tokens it must have ended. */
    record Acknowledged(Kind kind, TokenPair victim) {}

    private final DurabilityCalls calls;
    private final String sharedUserId;
    private final Random random;
    private final AtomicInteger userCounter;
    private final List<Acknowledged> acknowledged = new CopyOnWriteArrayList<>();
    private final AtomicReference<StatusRuntimeException> ended = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile long endedAtNanos;

    /**
     * @param sharedUserId the user of the session-level kinds; kinds that end every session of a user create their
     *                     own, named from {@code userCounter}, so one revocation never hides the loss of another
     */
    RevocationStream(DurabilityCalls calls, String sharedUserId, Random random, AtomicInteger userCounter) {
        this.calls = calls;
        this.sharedUserId = sharedUserId;
        this.random = random;
        this.userCounter = userCounter;
        this.thread = new Thread(this::run, "revocation-stream");
    }

    RevocationStream start() {
        thread.start();
        return this;
    }

    /** Revocations whose response arrived, in order. */
    List<Acknowledged> acknowledged() {
        return List.copyOf(acknowledged);
    }

    /** The failure that ended the stream; null while it runs. */
    StatusRuntimeException endedBy() {
        return ended.get();
    }

    /** When (System.nanoTime) the failure that ended the stream came. */
    long endedAtNanos() {
        return endedAtNanos;
    }

    /** Makes no new call and waits for the thread; a call in flight ends with the authority's death. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.join();
    }

    private void run() {
        Kind[] kinds = Kind.values();
        while (!stopping) {
            try {
                Kind kind = kinds[random.nextInt(kinds.length)];
                acknowledged.add(new Acknowledged(kind, revoke(kind)));
            } catch (StatusRuntimeException e) {
                endedAtNanos = System.nanoTime();
                ended.set(e);
                return;
            }
        }
    }

    private TokenPair revoke(Kind kind) {
        switch (kind) {
            case LOGOUT -> {
                TokenPair pair = calls.issue(sharedUserId);
                calls.logout(pair.getRefreshToken());
                return pair;
            }
            case REVOKE_SESSION -> {
                TokenPair pair = calls.issue(sharedUserId);
                calls.revokeSession(pair.getSessionId());
                return pair;
            }
            case REVOKE_TOKEN -> {
                TokenPair pair = calls.issue(sharedUserId);
                calls.revokeToken(pair.getRefreshTokenId());
                return pair;
            }
            case REUSE_DETECTION -> {
                TokenPair first = calls.issue(sharedUserId);
                TokenPair rotated = calls.refresh(first.getRefreshToken());
                try {
                    calls.refresh(first.getRefreshToken());
                } catch (StatusRuntimeException e) {
                    if (e.getStatus().getCode() == Status.Code.UNAUTHENTICATED) {
                        return rotated;
                    }
                    throw e;
                }
                throw Status.INTERNAL.withDescription("a rotated refresh token refreshed again: no reuse detection")
                        .asRuntimeException();
            }
            case CLIENT_REVOKE -> {
                TokenPair pair = calls.issue(newUser());
                calls.revokeAsClient(pair.getRefreshToken());
                return pair;
            }
            case REVOKE_USER_TOKENS -> {
                String userId = newUser();
                TokenPair pair = calls.issue(userId);
                calls.revokeUserTokens(userId);
                return pair;
            }
            case DISABLE_USER -> {
                String userId = newUser();
                TokenPair pair = calls.issue(userId);
                calls.disableUser(userId);
                return pair;
            }
            default -> throw new IllegalArgumentException(kind.name());
        }
    }

    private String newUser() {
        return calls.createUser("durable-" + userCounter.incrementAndGet() + "@example.com");
    }
}
