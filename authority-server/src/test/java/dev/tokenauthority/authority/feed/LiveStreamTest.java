package dev.tokenauthority.authority.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.authority.token.RevocationLogStore.LogRow;
import dev.tokenauthority.authority.token.RevocationLogStore.Position;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The hand-over between the publishing thread and the subscriber's thread, one step at a time.
 *
 * <p>Proves G2 and G3 (the rewind and heartbeat tests) of docs/guarantees.md.
 */
class LiveStreamTest {

    private static final Duration HEARTBEAT = Duration.ofSeconds(10);

    private final RecordingSink sink = new RecordingSink();
    private final LiveStream live = new LiveStream(sink, 100);

    @Test
    void aCaughtUpSubscriberGetsEntriesFromThePublishingThreadItself() {
        live.caughtUpTo(5);
        live.accept(rows(6, 7));

        assertThat(sink.sent).containsExactly("6 after 5", "7 after 6");
        assertThat(sink.messageSizes).containsExactly(2);
    }

    @Test
    void aLongRunTravelsInMessagesOfAtMostTheLimit() {
        live.caughtUpTo(0);
        live.accept(rows(LongStream.rangeClosed(1, 2_500).toArray()));

        assertThat(sink.messageSizes).containsExactly(FeedSink.EVENTS_PER_MESSAGE, FeedSink.EVENTS_PER_MESSAGE, 500);
        assertThat(sink.sent).hasSize(2_500).startsWith("1 after 0").endsWith("2500 after 2499");
    }

    @Test
    void aRunStopsAtAHoleAndWhatFollowsTheHoleWaitsForTheSubscribersThread() throws InterruptedException {
        live.caughtUpTo(5);
        live.accept(rows(6, 7, 9, 10));
        assertThat(sink.sent).containsExactly("6 after 5", "7 after 6");

        LiveStream.Next hole = live.next(HEARTBEAT);
        assertThat(hole.step()).isEqualTo(LiveStream.Step.HOLE);
        assertThat(hole.after()).isEqualTo(7);
        assertThat(hole.before().sequence()).isEqualTo(9);
    }

    @Test
    void entriesPublishedWhileTheStartIsSentWaitForTheSubscribersThreadAndDuplicatesAreDropped()
            throws InterruptedException {
        live.accept(rows(4, 5, 6));
        assertThat(sink.sent).isEmpty();

        live.caughtUpTo(5); // the start (a snapshot or range) already covered 4 and 5
        live.accept(rows(7)); // queued behind 6, not written past it
        assertThat(sink.sent).isEmpty();

        assertThat(live.next(HEARTBEAT)).isEqualTo(LiveStream.Next.SENT);
        assertThat(sink.sent).containsExactly("6 after 5", "7 after 6");
        assertThat(sink.messageSizes).containsExactly(2);
    }

    @Test
    void aFullTransportQueuesEntriesUntilItCanTakeThem() throws InterruptedException {
        live.caughtUpTo(5);
        sink.ready = false;
        live.accept(rows(6));
        assertThat(live.next(HEARTBEAT)).isEqualTo(LiveStream.Next.SENT);
        assertThat(sink.sent).isEmpty();

        sink.ready = true;
        live.accept(rows(7)); // still behind 6: not written ahead of it
        assertThat(sink.sent).isEmpty();
        live.next(HEARTBEAT);
        assertThat(sink.sent).containsExactly("6 after 5", "7 after 6");
    }

    @Test
    void aHoleIsHandedToTheSubscribersThreadAndWhatWaitedBehindItFollowsTheFilling() throws InterruptedException {
        live.caughtUpTo(5);
        live.accept(rows(8, 9));
        assertThat(sink.sent).isEmpty();

        LiveStream.Next hole = live.next(HEARTBEAT);
        assertThat(hole.step()).isEqualTo(LiveStream.Step.HOLE);
        assertThat(hole.after()).isEqualTo(5);
        assertThat(hole.before().sequence()).isEqualTo(8);
        live.accept(rows(10)); // published while the hole is filled: queued
        assertThat(sink.sent).isEmpty();

        sink.sent.add("6 after 5 (from the log)");
        sink.sent.add("7 after 6 (from the log)");
        live.holeFilled(7, hole.before());
        live.next(HEARTBEAT);
        live.accept(rows(11));
        assertThat(sink.sent).containsExactly("6 after 5 (from the log)", "7 after 6 (from the log)", "8 after 7",
                "9 after 8", "10 after 9", "11 after 10");
    }

    @Test
    void entriesCompactedOutOfAHoleDoNotStopTheOnesAfterIt() throws InterruptedException {
        live.caughtUpTo(5);
        live.accept(rows(8));
        LiveStream.Next hole = live.next(HEARTBEAT);

        live.holeFilled(5, hole.before()); // the log had nothing left between 5 and 8

        assertThat(sink.sent).containsExactly("8 after 5");
    }

    @Test
    void aSubscriberThatFallsTooFarBehindIsCutOff() {
        LiveStream small = new LiveStream(sink, 2);
        small.accept(rows(1, 2, 3));

        assertThatThrownBy(() -> small.next(HEARTBEAT)).isInstanceOf(FeedSubscription.SubscriberTooSlowException.class);
    }

    @Test
    void anIdleStreamAsksForAHeartbeat() throws InterruptedException {
        live.caughtUpTo(5);

        assertThat(live.next(Duration.ofMillis(20))).isEqualTo(LiveStream.Next.IDLE);
        live.heartbeat(new RevocationFeed.Vouch(5, Instant.EPOCH), Instant.EPOCH);
        assertThat(sink.sent).containsExactly("heartbeat 5");
    }

    @Test
    void aHeartbeatNeverNamesLessThanTheStreamHasSent() throws InterruptedException {
        live.caughtUpTo(5);
        live.accept(rows(6));

        // The replica's last read of the log predates entry 6, which its own commit published.
        live.heartbeat(new RevocationFeed.Vouch(5, Instant.EPOCH), Instant.EPOCH);

        assertThat(sink.sent).containsExactly("6 after 5", "heartbeat 6");
    }

    @Test
    void aLogThatWentBackEndsTheStreamSoTheSubscriberResynchronises() {
        live.caughtUpTo(5);
        live.logRewound();
        live.accept(rows(6)); // a new entry 6 of the rewound log: this stream must not send it after the old 5

        assertThatThrownBy(() -> live.next(HEARTBEAT)).isInstanceOf(FeedSubscription.LogRewoundException.class);
        assertThat(sink.sent).isEmpty();
    }

    private static List<LogRow> rows(long... sequences) {
        return LongStream.of(sequences).mapToObj(s -> new LogRow(s, Instant.EPOCH, "TOKEN", "jti-" + s, null,
                Instant.EPOCH.plusSeconds(900), null, 1000 + s)).toList();
    }

    private static final class RecordingSink implements FeedSink {
        final List<String> sent = new ArrayList<>();
        final List<Integer> messageSizes = new ArrayList<>();
        volatile boolean ready = true;

        @Override
        public void snapshotBegin(long sequence, Instant generatedAt, String jwksJson) {
            throw new AssertionError("not live");
        }

        @Override
        public boolean awaitReady(Duration atMost) {
            return true;
        }

        @Override
        public void snapshotPart(SnapshotEncoder.EncodedSnapshot snapshot, int part) {
            throw new AssertionError("not live");
        }

        @Override
        public void snapshotEntries(List<LogRow> rows) {
            throw new AssertionError("not live");
        }

        @Override
        public void snapshotEnd(Position position, long entryCount) {
            throw new AssertionError("not live");
        }

        @Override
        public void events(List<LogRow> rows, long previousSequence) {
            messageSizes.add(rows.size());
            long previous = previousSequence;
            for (LogRow row : rows) {
                sent.add(row.sequence() + " after " + previous);
                previous = row.sequence();
            }
        }

        @Override
        public void heartbeat(long sequence, Instant serverTime, Instant logReadAt) {
            sent.add("heartbeat " + sequence);
        }

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public boolean awaitReady() {
            return ready;
        }
    }
}
