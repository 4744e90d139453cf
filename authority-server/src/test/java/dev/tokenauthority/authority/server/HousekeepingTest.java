package dev.tokenauthority.authority.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.RevocationRetention;
import dev.tokenauthority.api.v1.RevokeSessionRequest;
import dev.tokenauthority.authority.activity.ActivityBucket;
import dev.tokenauthority.authority.activity.ActivityCounts;
import dev.tokenauthority.authority.activity.ActivityRecorder;
import dev.tokenauthority.authority.activity.ActivityStore;
import dev.tokenauthority.authority.audit.Actor;
import dev.tokenauthority.authority.audit.CallContext;
import dev.tokenauthority.authority.retention.TokenRetention;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.authority.token.RevocationKind;
import dev.tokenauthority.authority.token.RevocationLogStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proves G5 and G12 of docs/guarantees.md.
 */
class HousekeepingTest {

    AuthorityFixture fx;
    Housekeeping housekeeping;

    @BeforeEach
    void start() {
        fx = new AuthorityFixture(TestDatabase.Kind.H2);
        housekeeping = new Housekeeping(fx.authority.signingKeys(), fx.authority.loginThrottle(), fx.authority.sessionRows(),
                new TokenRetention(fx.authority.transactor(), TokenRetention.DEFAULT_RETENTION, fx.clock), fx.authority.transactor(),
                fx.clock);
    }

    @AfterEach
    void stop() throws Exception {
        housekeeping.close();
        fx.close();
    }

    @Test
    void aSigningKeyOlderThanTheMaximumAgeIsRotatedAutomatically() {
        String before = fx.authority.signingKeys().current().kid();
        housekeeping.runOnce();
        assertThat(fx.authority.signingKeys().current().kid()).isEqualTo(before);
        fx.clock.advance(Duration.ofDays(30).plusMinutes(1));
        housekeeping.runOnce();
        assertThat(fx.authority.signingKeys().current().kid()).isNotEqualTo(before);
        assertThat(fx.authority.signingKeys().published()).extracting(k -> k.kid()).contains(before);
    }

    @Test
    void activityMinutesOlderThanTheLongestChartAndItsMarginAreDeleted() {
        Instant now = fx.clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        fx.clock.set(now); // a whole minute, so the cutoff falls exactly on one
        Instant kept = now.minus(ActivityRecorder.RETENTION);
        Instant dropped = kept.minus(Duration.ofMinutes(1));
        Instant dayAgo = now.minus(Duration.ofHours(24));
        fx.authority.transactor().useTransaction(tx -> {
            for (Instant minute : List.of(dropped, kept, dayAgo)) {
                tx.store(ActivityStore.class).add(minute, new ActivityCounts(1, 0, 0, 0), null);
            }
        });
        housekeeping.runOnce();
        List<ActivityBucket> left = fx.authority.transactor()
                .read(tx -> tx.store(ActivityStore.class).since(Instant.EPOCH));
        assertThat(left).extracting(ActivityBucket::start).containsExactly(kept, dayAgo);
    }

    @Test
    void revocationLogEntriesPastTheirHorizonAreCompactedAwayExceptTheLastOne() {
        String admin = fx.loginAdmin().getAccessToken();
        for (String user : new String[] {AuthorityFixture.ALICE, AuthorityFixture.BOB}) {
            fx.admin(admin).revokeSession(RevokeSessionRequest.newBuilder()
                    .setSessionId(fx.login(user).getSessionId()).build());
        }
        housekeeping.runOnce();
        assertThat(logSize()).isEqualTo(2);
        // Past the horizon (1 h access tokens in this fixture) but within the validators' largest skew: kept.
        fx.clock.advance(Duration.ofHours(1).plusMinutes(1));
        housekeeping.runOnce();
        assertThat(logSize()).isEqualTo(2);
        fx.clock.advance(RevocationRetention.atAuthority());
        housekeeping.runOnce();
        assertThat(logSize()).as("the log's end stays, so a subscriber there can prove its position").isEqualTo(1);
        long lastSequence = fx.authority.transactor().read(h -> h.store(RevocationLogStore.class).lastSequence());
        assertThat(lastSequence).as("sequences are never reused after compaction").isEqualTo(2);
    }

    @Test
    void aRetiredKeyPastItsPublicationWindowLeavesTheJwkSetInOneLogEntry() {
        String retired = fx.authority.signingKeys().current().kid();
        fx.authority.signingKeys().rotate(new CallContext(null, Actor.system()), "drill");
        String current = fx.authority.signingKeys().current().kid();
        housekeeping.runOnce();
        assertThat(keySetEntries()).hasSize(1);

        fx.clock.advance(Duration.ofHours(1).plusSeconds(31));
        housekeeping.runOnce();
        housekeeping.runOnce();

        List<RevocationLogStore.LogRow> entries = keySetEntries();
        assertThat(entries).hasSize(2);
        assertThat(entries.get(1).payload()).contains(current).doesNotContain(retired);
        assertThat(fx.authority.signingKeys().jwksJson()).isEqualTo(entries.get(1).payload());
    }

    @Test
    void theNewestKeySetEntryOutlivesCompactionSoAResumingSidecarStillGetsIt() {
        fx.authority.signingKeys().rotate(new CallContext(null, Actor.system()), "drill");
        fx.clock.advance(Duration.ofDays(3));
        housekeeping.runOnce(); // announces the retired key's withdrawal
        fx.clock.advance(Duration.ofDays(3));
        housekeeping.runOnce(); // compacts what the withdrawal superseded

        assertThat(keySetEntries()).singleElement()
                .satisfies(entry -> assertThat(entry.payload()).isEqualTo(fx.authority.signingKeys().jwksJson()));
    }

    private List<RevocationLogStore.LogRow> keySetEntries() {
        return fx.authority.transactor().read(h -> h.store(RevocationLogStore.class).findAfter(0, 1000)).stream()
                .filter(row -> row.kind().equals(RevocationKind.SIGNING_KEYS.name())).toList();
    }

    private int logSize() {
        return fx.db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM revocation_log")
                .mapTo(Integer.class).one());
    }
}
