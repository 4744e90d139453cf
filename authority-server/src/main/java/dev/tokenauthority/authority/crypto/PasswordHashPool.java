package dev.tokenauthority.authority.crypto;

import dev.tokenauthority.authority.AuthorityException;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where every password hash runs: a fixed pool of threads, and a bounded number of callers
 * admitted to it at once. Argon2id is made to be slow and memory-hard (19 MiB each at the default
 * cost), so hashing without a bound lets a login flood take every core and a heap's worth of
 * memory, and Refresh, Revoke and the feed, which need neither, would queue behind it.
 *
 * <p>Design: a caller is first {@linkplain #admit admitted} (a permit of {@code threads + queue}),
 * and refused at once with RESOURCE_EXHAUSTED when none is left, before it does any other work: a
 * login takes its permit before the throttle's database reservation, so a refused login costs a
 * compare-and-set, not a transaction. An admitted caller's hashes run on the pool's threads, so at
 * most {@code threads} hashes (and their memory) are in progress and at most {@code queue} callers
 * wait for a thread. The pool's own queue needs no bound of its own: the permits are the bound.
 */
public final class PasswordHashPool implements AutoCloseable {

    /** What a refused caller is told: nothing is wrong with its request, it should come back. */
    static final String BUSY = "the authority is busy checking other passwords; retry later";

    /**
     * How many hashes run at once ({@code threads}) and how many admitted callers may wait for one
     * ({@code queue}).
     */
    public record Limits(int threads, int queue) {

        /** Waiting callers allowed per hashing thread, by default: a short wait, not a backlog. */
        public static final int DEFAULT_QUEUE_PER_THREAD = 4;

        public Limits {
            if (threads < 1 || queue < 0) {
                throw new IllegalArgumentException("password hashing needs at least one thread and a queue of 0 or more");
            }
        }

        /**
         * One thread per core but one (at least one thread), and {@link #DEFAULT_QUEUE_PER_THREAD} waiting callers
         * per thread: a login flood then leaves a core to refreshes, revocations and the feed, whose latency it
         * would otherwise set (on two cores, hashing on both measured Refresh p99 at 2.3-3.6x its unloaded value).
         */
        public static Limits forThisMachine() {
            return withThreads(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
        }

        /** {@code threads} threads and the default queue for them. */
        public static Limits withThreads(int threads) {
            return new Limits(threads, threads * DEFAULT_QUEUE_PER_THREAD);
        }
    }

    private final PasswordHasher hasher;
    private final Semaphore admissions;
    private final ExecutorService threads;

    public PasswordHashPool(PasswordHasher hasher, Limits limits) {
        this.hasher = hasher;
        this.admissions = new Semaphore(limits.threads() + limits.queue());
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(limits.threads(), r -> {
            Thread t = new Thread(r, "password-hash-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * A place among the callers allowed to hash, to close when done; RESOURCE_EXHAUSTED at once
     * when every place is taken.
     */
    public Admission admit() {
        if (!admissions.tryAcquire()) {
            throw AuthorityException.resourceExhausted(BUSY);
        }
        return new Admission();
    }

    /** Hashes {@code password} for storage, if admitted (see {@link #admit}). */
    public String hash(String password) {
        try (Admission admission = admit()) {
            return admission.hash(password);
        }
    }

    /** Stops the threads; a hash still waiting for one fails as UNAVAILABLE. */
    @Override
    public void close() {
        // What never ran is cancelled, so that its caller stops waiting.
        threads.shutdownNow().forEach(queued -> ((Future<?>) queued).cancel(false));
    }

    /** One admitted caller: its hashes run on the pool, and closing it gives its place back. */
    public final class Admission implements AutoCloseable {

        private final AtomicBoolean closed = new AtomicBoolean();

        private Admission() {
        }

        /** {@link PasswordHasher#verify}, on a hashing thread. */
        public boolean verify(String password, String storedHash) {
            return onPool(() -> hasher.verify(password, storedHash));
        }

        /** {@link PasswordHasher#hash}, on a hashing thread. */
        public String hash(String password) {
            return onPool(() -> hasher.hash(password));
        }

        private <T> T onPool(Callable<T> work) {
            Future<T> result;
            try {
                result = threads.submit(work);
            } catch (RejectedExecutionException shutDown) {
                throw AuthorityException.unavailable("the authority is shutting down", shutDown);
            }
            try {
                return result.get();
            } catch (InterruptedException e) {
                result.cancel(true);
                Thread.currentThread().interrupt();
                throw AuthorityException.unavailable("password check interrupted", e);
            } catch (CancellationException e) {
                throw AuthorityException.unavailable("the authority is shutting down", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException("password hashing failed", e.getCause());
            }
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                admissions.release();
            }
        }
    }
}
