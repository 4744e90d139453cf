package dev.tokenauthority.authority.login;

import dev.tokenauthority.authority.crypto.PasswordHasher;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cheap password hasher that counts its verifications and makes each take a while, as a real
 * Argon2id hash does: the window in which racing logins used to slip past the throttle.
 */
final class CountingPasswordHasher extends PasswordHasher {

    private final AtomicInteger verifications = new AtomicInteger();
    private volatile long delayMillis;

    CountingPasswordHasher() {
        super(1024, 1);
    }

    @Override
    public boolean verify(String password, String storedHash) {
        verifications.incrementAndGet();
        try {
            Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return super.verify(password, storedHash);
    }

    void slowDown(long millis) {
        delayMillis = millis;
    }

    int verifications() {
        return verifications.get();
    }

    void reset() {
        verifications.set(0);
    }
}
