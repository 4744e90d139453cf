package dev.tokenauthority.bench;

import dev.tokenauthority.api.v1.RevocationResult;
import dev.tokenauthority.api.v1.TokenPair;
import io.grpc.StatusRuntimeException;
import java.sql.Connection;
import java.time.Duration;
import java.util.Locale;

/**
 * The authority as a {@link PeerSystem}: creates its confidential client and two users (one for
 * the load, one for force logout) through the admin API. Token checks go to a sidecar. The logout
 * user's sessions are one real login copied by SQL ({@link SessionClones}): a login per session
 * would spend an Argon2id hash each.
 */
final class AuthorityPeer implements PeerSystem {

    private static final String LOAD_USER = "peer-load@example.com";
    private static final String LOGOUT_USER = "peer-logout@example.com";

    private final AuthorityCalls calls;
    private final Connection database;
    private final String logoutUserId;
    private int round;

    /** {@code database}: the authority's own PostgreSQL database, for {@link SessionClones}. */
    AuthorityPeer(AuthorityCalls calls, Connection database) {
        this.calls = calls;
        this.database = database;
        calls.createClient();
        calls.createUser(LOAD_USER);
        this.logoutUserId = calls.createUser(LOGOUT_USER);
    }

    @Override
    public ClosedLoopCell.Client rotationClient() {
        TokenPair[] current = {calls.login(LOAD_USER)};
        return () -> {
            try {
                current[0] = calls.refresh(current[0].getRefreshToken());
                return true;
            } catch (StatusRuntimeException broken) {
                current[0] = calls.login(LOAD_USER); // a new chain for the next call
                return false;
            }
        };
    }

    @Override
    public ClosedLoopCell.Client checkClient() {
        String accessToken = calls.login(LOAD_USER).getAccessToken();
        return () -> calls.validate(accessToken);
    }

    /** Until the call has returned and the sidecar denies the user's older access token. */
    @Override
    public long forceLogout(int sessions, Duration timeout, boolean quiet) throws Exception {
        TokenPair real = calls.login(LOGOUT_USER);
        SessionClones.copy(database, real.getSessionId(), sessions - 1, "round-" + (++round));
        calls.renewAdminToken();
        if (!calls.validate(real.getAccessToken())) {
            throw new AssertionError("the sidecar denies " + LOGOUT_USER + "'s access token before the force logout");
        }
        long t0 = System.nanoTime();
        RevocationResult result = calls.revokeUserTokens(logoutUserId, timeout);
        long returned = System.nanoTime() - t0;
        // The target counts until the sidecar denies the user's older tokens too: poll it from here.
        while (calls.validate(real.getAccessToken())) {
            if (System.nanoTime() - t0 > timeout.toNanos()) {
                throw new AssertionError("the sidecar still accepts " + LOGOUT_USER + "'s token after " + timeout);
            }
        }
        long elapsed = System.nanoTime() - t0;
        if (!quiet) {
            System.out.printf(Locale.ROOT, "  %d sessions: call returned in %.1f ms, sidecar denies after %.1f ms%n",
                    sessions, returned / 1e6, elapsed / 1e6);
        }
        if (result.getRevokedSessions() != sessions) {
            throw new AssertionError("RevokeUserTokens revoked " + result.getRevokedSessions() + " sessions, not "
                    + sessions);
        }
        try {
            calls.refresh(real.getRefreshToken());
            throw new AssertionError("a refresh token of " + LOGOUT_USER + " still works after RevokeUserTokens");
        } catch (StatusRuntimeException refused) {
            // expected: the session is revoked
        }
        return elapsed;
    }

    @Override
    public void close() throws Exception {
        calls.close();
        database.close();
    }
}
