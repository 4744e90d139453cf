package dev.tokenauthority.authority.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.authority.storage.Database;
import dev.tokenauthority.authority.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Health does not flip on one failed probe, and a pool whose every connection is busy is not a database
 * that does not answer (the probe has a connection of its own).
 */
class DatabaseHealthTest {

    @Test
    void oneFailedProbeIsNotAnOutageTwoInARowAreAndOneAnswerEndsIt() {
        Deque<Boolean> answers = new ArrayDeque<>(List.of(false, true, false, false, false, true));
        DatabaseHealth health = new DatabaseHealth(answers::removeFirst, Clock.systemUTC());
        List<Boolean> changes = new ArrayList<>();
        health.onChange(changes::add);

        assertThat(health.probe()).as("one failure").isTrue();
        assertThat(health.probe()).isTrue();
        assertThat(health.probe()).as("one failure again").isTrue();
        assertThat(health.probe()).as("the second in a row").isFalse();
        assertThat(health.probe()).isFalse();
        assertThat(health.probe()).as("one answer").isTrue();
        assertThat(changes).containsExactly(true, false, true);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aPoolWithEveryConnectionBusyStillAnswersTheProbe(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.create(kind)) {
            Database database = Database.open(db.url(), db.user(), db.password(), 2);
            try (Handle first = database.jdbi().open(); Handle second = database.jdbi().open()) {
                first.execute("SELECT 1");
                second.execute("SELECT 1");
                assertThat(database.answers(Duration.ofSeconds(1))).isTrue();
            } finally {
                database.close();
            }
        }
    }
}
