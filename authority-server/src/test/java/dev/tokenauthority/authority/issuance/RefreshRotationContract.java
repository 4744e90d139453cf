package dev.tokenauthority.authority.issuance;

import static dev.tokenauthority.authority.testing.Calls.codeOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.token.AccessTokenStore;
import dev.tokenauthority.authority.token.RefreshToken;
import dev.tokenauthority.authority.token.RefreshTokenStatus;
import dev.tokenauthority.authority.token.RefreshTokenStore;
import dev.tokenauthority.authority.token.Session;
import dev.tokenauthority.authority.token.SessionStore;
import io.grpc.Status;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.junit.jupiter.api.Test;

/**
 * A rotation itself, through real gRPC on H2 and PostgreSQL: a new pair per refresh, what it records, what a failed
 * one leaves, and the lifetimes it slides.
 */
abstract class RefreshRotationContract extends RefreshRotationContractBase {

    @Test
    void aChainOfOneHundredRefreshesRotatesEveryTokenAndKeepsOneSession() {
        TokenPair first = fx.login(AuthorityFixture.ALICE);
        TokenPair current = first;
        Set<String> seenRefreshTokens = new HashSet<>(List.of(first.getRefreshToken()));
        for (int i = 0; i < 100; i++) {
            fx.clock.advance(Duration.ofMinutes(1));
            TokenPair next = refresh(current.getRefreshToken());
            assertThat(next.getSessionId()).isEqualTo(first.getSessionId());
            assertThat(seenRefreshTokens.add(next.getRefreshToken())).isTrue();
            assertThat(next.getRefreshTokenExpiresAt().getSeconds())
                    .isGreaterThan(current.getRefreshTokenExpiresAt().getSeconds());
            current = next;
        }
        assertThat(isActive(current.getRefreshToken())).isTrue();
        assertThat(isActive(current.getAccessToken())).isTrue();
        assertThat(isActive(first.getRefreshToken())).isFalse();
        String lastId = current.getRefreshTokenId();
        RefreshToken last = fx.authority.transactor().read(h -> h.store(RefreshTokenStore.class).findById(lastId))
                .orElseThrow();
        assertThat(last.status()).isEqualTo(RefreshTokenStatus.ACTIVE);
        assertThat(last.parentId()).isNotNull();
    }

    @Test
    void aRotationMarksTheSessionSeenAndRecordsTheNewAccessToken() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        fx.clock.advance(Duration.ofMinutes(5));
        TokenPair next = refresh(pair.getRefreshToken());
        RefreshToken issued = fx.authority.transactor()
                .read(h -> h.store(RefreshTokenStore.class).findById(next.getRefreshTokenId())).orElseThrow();
        assertThat(fx.authority.transactor().read(h -> h.store(SessionStore.class).findById(next.getSessionId()))
                .orElseThrow().lastSeenAt()).isEqualTo(issued.issuedAt());
        assertThat(accessTokensOf(next.getRefreshTokenId())).singleElement().satisfies(record -> {
            assertThat(record.sessionId()).isEqualTo(next.getSessionId());
            assertThat(record.issuedAt()).isEqualTo(issued.issuedAt());
            assertThat(record.expiresAt().getEpochSecond()).isEqualTo(next.getAccessTokenExpiresAt().getSeconds());
        });
    }

    @Test
    void aRotationWhoseWritesFailCommitsNothingAndLeavesThePresentedTokenUsable() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        Session before = fx.authority.transactor()
                .read(h -> h.store(SessionStore.class).findById(pair.getSessionId())).orElseThrow();
        // The login's access-token record passes; the rotation's (last of its writes) cannot.
        fx.db.jdbi().useTransaction(h -> h.execute("ALTER TABLE access_tokens ADD CONSTRAINT only_login"
                + " CHECK (refresh_token_id = '" + pair.getRefreshTokenId() + "')"));
        fx.clock.advance(Duration.ofMinutes(5));
        assertThat(codeOf(() -> refresh(pair.getRefreshToken()))).isNotEqualTo(Status.Code.OK);

        RefreshToken presented = fx.authority.transactor()
                .read(h -> h.store(RefreshTokenStore.class).findById(pair.getRefreshTokenId())).orElseThrow();
        assertThat(presented.status()).isEqualTo(RefreshTokenStatus.ACTIVE);
        long tokensOfSession = fx.db.jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM refresh_tokens WHERE session_id = :sid").bind("sid", pair.getSessionId())
                .mapTo(Long.class).one());
        assertThat(tokensOfSession).isEqualTo(1L);
        assertThat(fx.authority.transactor().read(h -> h.store(SessionStore.class).findById(pair.getSessionId()))
                .orElseThrow().lastSeenAt()).isEqualTo(before.lastSeenAt());

        fx.db.jdbi().useTransaction(h -> h.execute("ALTER TABLE access_tokens DROP CONSTRAINT only_login"));
        assertThat(refresh(pair.getRefreshToken()).getSessionId()).isEqualTo(pair.getSessionId());
    }

    private List<AccessTokenStore.AccessTokenRecord> accessTokensOf(String refreshTokenId) {
        return fx.db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT * FROM access_tokens WHERE refresh_token_id = :id").bind("id", refreshTokenId)
                .map(ConstructorMapper.of(AccessTokenStore.AccessTokenRecord.class)).list());
    }

    @Test
    void theInactivityLifetimeSlidesWithEveryRotation() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        for (int i = 0; i < 3; i++) {
            fx.clock.advance(Duration.ofDays(6));
            pair = refresh(pair.getRefreshToken());
        }
        String idle = pair.getRefreshToken();
        fx.clock.advance(Duration.ofDays(7).plusSeconds(1));
        assertThat(codeOf(() -> refresh(idle))).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void theAbsoluteSessionLifetimeEndsTheSessionHoweverActiveItIs() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        long sessionEnd = pair.getAccessTokenExpiresAt().getSeconds() - 15 * 60 + Duration.ofDays(30).toSeconds();
        for (int day = 6; day < 30; day += 6) {
            fx.clock.advance(Duration.ofDays(6));
            pair = refresh(pair.getRefreshToken());
        }
        assertThat(pair.getRefreshTokenExpiresAt().getSeconds()).isLessThanOrEqualTo(sessionEnd);
        String last = pair.getRefreshToken();
        fx.clock.advance(Duration.ofDays(6));
        assertThat(codeOf(() -> refresh(last))).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void anExpiredAccessTokenIsNoLongerActiveButItsRefreshStillWorks() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        fx.clock.advance(Duration.ofMinutes(16));
        assertThat(isActive(pair.getAccessToken())).isFalse();
        assertThat(isActive(refresh(pair.getRefreshToken()).getAccessToken())).isTrue();
    }
}
