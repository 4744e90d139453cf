package dev.tokenauthority.authority.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lock rule a force logout's last pass relies on: it skips a refresh token another
 * transaction holds (a refresh rotating it, which waits for the session the force logout holds)
 * instead of waiting for it, which would deadlock; every other live token of the user is revoked.
 */
abstract class RefreshTokenLocksContract {

    AuthorityFixture fx;

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void start() {
        fx = new AuthorityFixture(kind());
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    @Test
    void revokeUnlockedSkipsATokenAnotherTransactionHoldsAndRevokesTheRest() throws Exception {
        TokenPair held = fx.login(AuthorityFixture.ALICE);
        TokenPair free = fx.login(AuthorityFixture.ALICE);
        TokenPair otherUser = fx.login(AuthorityFixture.BOB);
        String alice = fx.user(AuthorityFixture.ALICE).id();

        try (Handle rotating = fx.db.jdbi().open()) {
            rotating.begin();
            rotating.createQuery("SELECT id FROM refresh_tokens WHERE id = :id FOR UPDATE")
                    .bind("id", held.getRefreshTokenId()).mapTo(String.class).one();

            int revoked = CompletableFuture.supplyAsync(() -> fx.authority.transactor().inTransaction(tx ->
                            tx.store(RefreshTokenStore.class).revokeUnlocked(alice, Instant.now(), "test", "test")))
                    .get(10, TimeUnit.SECONDS);

            assertThat(revoked).as("only the unlocked token of alice").isEqualTo(1);
            rotating.rollback();
        }
        assertThat(status(held)).isEqualTo(RefreshTokenStatus.ACTIVE);
        assertThat(status(free)).isEqualTo(RefreshTokenStatus.REVOKED);
        assertThat(status(otherUser)).as("another user's token").isEqualTo(RefreshTokenStatus.ACTIVE);
    }

    @Test
    void revokeUnlockedOfEveryoneSkipsOnlyTheHeldToken() throws Exception {
        TokenPair held = fx.login(AuthorityFixture.ALICE);
        TokenPair free = fx.login(AuthorityFixture.BOB);

        try (Handle rotating = fx.db.jdbi().open()) {
            rotating.begin();
            rotating.createQuery("SELECT id FROM refresh_tokens WHERE id = :id FOR UPDATE")
                    .bind("id", held.getRefreshTokenId()).mapTo(String.class).one();

            CompletableFuture.runAsync(() -> fx.authority.transactor().useTransaction(tx ->
                            tx.store(RefreshTokenStore.class).revokeUnlocked(null, Instant.now(), "test", "test")))
                    .get(10, TimeUnit.SECONDS);
            rotating.rollback();
        }
        assertThat(status(held)).isEqualTo(RefreshTokenStatus.ACTIVE);
        assertThat(status(free)).isEqualTo(RefreshTokenStatus.REVOKED);
    }

    private RefreshTokenStatus status(TokenPair pair) {
        return fx.authority.transactor().read(tx -> tx.store(RefreshTokenStore.class)
                .findById(pair.getRefreshTokenId())).orElseThrow().status();
    }
}
