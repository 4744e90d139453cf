package dev.tokenauthority.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Keycloak as a {@link PeerSystem}: the realm, its confidential client and two users (one for the
 * load, one for force logout) exist already (the script creates them through the admin API).
 * Sessions for force logout come from real password grants.
 */
final class KeycloakPeer implements PeerSystem {

    /** Password grants in flight while the logout user's sessions are created. */
    private static final int LOGIN_THREADS = 4;

    private final KeycloakCalls calls;
    private final String loadUser;
    private final String logoutUser;
    private final String password;
    private final String adminUser;
    private final String adminPassword;

    KeycloakPeer(KeycloakCalls calls, String loadUser, String logoutUser, String password, String adminUser,
            String adminPassword) {
        this.calls = calls;
        this.loadUser = loadUser;
        this.logoutUser = logoutUser;
        this.password = password;
        this.adminUser = adminUser;
        this.adminPassword = adminPassword;
    }

    @Override
    public ClosedLoopCell.Client rotationClient() throws Exception {
        KeycloakCalls.Tokens[] current = {calls.passwordGrant(loadUser, password)};
        return () -> {
            try {
                current[0] = calls.refresh(current[0].refreshToken());
                return true;
            } catch (IllegalStateException | IOException broken) {
                current[0] = calls.passwordGrant(loadUser, password); // a new chain for the next call
                return false;
            }
        };
    }

    @Override
    public ClosedLoopCell.Client checkClient() throws Exception {
        String accessToken = calls.passwordGrant(loadUser, password).accessToken();
        return () -> calls.introspect(accessToken);
    }

    @Override
    public long forceLogout(int sessions, Duration timeout, boolean quiet) throws Exception {
        List<KeycloakCalls.Tokens> logins = new ArrayList<>();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(LOGIN_THREADS);
        try {
            List<Future<KeycloakCalls.Tokens>> pending = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                pending.add(pool.submit(() -> calls.passwordGrant(logoutUser, password)));
            }
            for (Future<KeycloakCalls.Tokens> f : pending) {
                logins.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        if (!quiet) {
            System.err.printf(Locale.ROOT, "  %,d Keycloak sessions created in %.1f s%n", sessions,
                    (System.nanoTime() - started) / 1e9);
        }
        String adminToken = calls.adminToken(adminUser, adminPassword);
        String userId = calls.userId(adminToken, logoutUser);
        long t0 = System.nanoTime();
        calls.logout(adminToken, userId, timeout);
        long elapsed = System.nanoTime() - t0;
        for (KeycloakCalls.Tokens survivor : List.of(logins.get(0), logins.get(logins.size() - 1))) {
            try {
                calls.refresh(survivor.refreshToken());
                throw new AssertionError("a refresh token of " + logoutUser + " still works after the force logout");
            } catch (IllegalStateException refused) {
                // expected: the session is gone
            }
        }
        return elapsed;
    }

    @Override
    public void close() {
    }
}
