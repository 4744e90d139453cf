package dev.tokenauthority.authority.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.testing.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hash pool's two bounds: hashes running at once, and callers admitted at all. */
class PasswordHashPoolTest {

    /** A hasher whose verifications block until the test lets them go, counting how many run at once. */
    private static final class GatedHasher extends PasswordHasher {
        final CountDownLatch gate = new CountDownLatch(1);
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();

        GatedHasher() {
            super(1024, 1);
        }

        @Override
        public boolean verify(String password, String storedHash) {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
            return super.verify(password, storedHash);
        }
    }

    private final GatedHasher hasher = new GatedHasher();
    private final PasswordHashPool pool = new PasswordHashPool(hasher, new PasswordHashPool.Limits(2, 3));
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        hasher.gate.countDown();
        callers.shutdownNow();
        pool.close();
    }

    @Test
    void beyondThreadsPlusQueueAdmittedCallersTheNextIsRefusedAtOnceAndAPlaceGivenBackAdmitsAgain() throws Exception {
        String stored = hasher.hash("correct horse");
        List<Future<Boolean>> admitted = new ArrayList<>();
        List<PasswordHashPool.Admission> admissions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            PasswordHashPool.Admission admission = pool.admit();
            admissions.add(admission);
            admitted.add(callers.submit(() -> {
                try (admission) {
                    return admission.verify("correct horse", stored);
                }
            }));
        }

        long before = System.nanoTime();
        assertThatThrownBy(pool::admit).isInstanceOfSatisfying(AuthorityException.class, e -> {
            assertThat(e.kind()).isEqualTo(AuthorityException.Kind.RESOURCE_EXHAUSTED);
            assertThat(e.getMessage()).contains("busy").contains("retry later");
        });
        assertThatThrownBy(() -> pool.hash("another password")).isInstanceOf(AuthorityException.class);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before)).as("refused without waiting")
                .isLessThan(1_000);

        Eventually.until(Duration.ofSeconds(10), "two hashes running", () -> hasher.running.get() == 2);
        Thread.sleep(200);
        assertThat(hasher.running.get()).as("the other admitted callers wait for a thread").isEqualTo(2);
        hasher.gate.countDown();
        for (Future<Boolean> result : admitted) {
            assertThat(result.get(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(hasher.mostAtOnce.get()).as("never more hashes at once than threads").isEqualTo(2);
        admissions.forEach(PasswordHashPool.Admission::close); // closing twice gives back nothing more
        assertThat(pool.hash("another password")).startsWith("$argon2id$");
    }

    @Test
    void theDefaultsAreOneThreadPerCoreButOneAndFourWaitingCallersPerThread() {
        PasswordHashPool.Limits limits = PasswordHashPool.Limits.forThisMachine();

        assertThat(limits.threads()).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
        assertThat(limits.queue()).isEqualTo(4 * limits.threads());
        assertThatThrownBy(() -> new PasswordHashPool.Limits(0, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PasswordHashPool.Limits(1, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closingThePoolTellsACallerStillWaitingForAThreadThatTheAuthorityIsShuttingDown() throws Exception {
        String stored = hasher.hash("correct horse");
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            results.add(callers.submit(() -> {
                try (PasswordHashPool.Admission admission = pool.admit()) {
                    return admission.verify("correct horse", stored);
                }
            }));
        }
        Eventually.until(Duration.ofSeconds(10), "two hashes running", () -> hasher.running.get() == 2);

        pool.close();
        hasher.gate.countDown();

        List<Throwable> failures = new ArrayList<>();
        for (Future<Boolean> result : results) {
            try {
                result.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                failures.add(e.getCause());
            }
        }
        assertThat(failures).as("the one that never got a thread").singleElement()
                .isInstanceOfSatisfying(AuthorityException.class,
                        e -> assertThat(e.kind()).isEqualTo(AuthorityException.Kind.UNAVAILABLE));
    }
}
