package dev.tokenauthority.authority.feed;

import dev.tokenauthority.authority.token.RevocationLogStore.LogRow;
import dev.tokenauthority.authority.token.RevocationLogStore.Position;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A subscriber's sink that reports, after each message that moves the subscriber's position, how many entries it
 * carried and how far behind this replica's published head it left the subscriber ({@link FeedObserver}).
 */
final class ObservedSink implements FeedSink {

    private final FeedSink sink;
    private final RevocationFeed feed;
    private final FeedObserver observer;

    ObservedSink(FeedSink sink, RevocationFeed feed, FeedObserver observer) {
        this.sink = sink;
        this.feed = feed;
        this.observer = observer;
    }

    private void reached(long sequence) {
        // A subscriber may be ahead of what this replica published (a commit read from the log before its broadcast).
        observer.behindHead(Math.max(0, feed.publishedSequence() - sequence));
    }

    @Override
    public void snapshotBegin(long sequence, Instant generatedAt, String jwksJson) {
        sink.snapshotBegin(sequence, generatedAt, jwksJson);
    }

    @Override
    public void snapshotPart(SnapshotEncoder.EncodedSnapshot snapshot, int part) {
        sink.snapshotPart(snapshot, part);
    }

    @Override
    public void snapshotEntries(List<LogRow> rows) {
        sink.snapshotEntries(rows);
    }

    @Override
    public void snapshotEnd(Position position, long entryCount) {
        sink.snapshotEnd(position, entryCount);
        reached(position.sequence());
    }

    @Override
    public void events(List<LogRow> rows, long previousSequence) {
        sink.events(rows, previousSequence);
        observer.eventsSent(rows.size());
        reached(rows.get(rows.size() - 1).sequence());
    }

    @Override
    public void heartbeat(long sequence, Instant serverTime, Instant logReadAt) {
        sink.heartbeat(sequence, serverTime, logReadAt);
        reached(sequence);
    }

    @Override
    public boolean isReady() {
        return sink.isReady();
    }

    @Override
    public boolean awaitReady() throws InterruptedException {
        return sink.awaitReady();
    }

    @Override
    public boolean awaitReady(Duration atMost) throws InterruptedException {
        return sink.awaitReady(atMost);
    }
}
