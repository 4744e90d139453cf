package dev.tokenauthority.authority.feed;

import dev.tokenauthority.authority.storage.RevocationLogDao.LogRow;
import java.time.Instant;
import java.util.List;

/** Where a subscription writes; the transport implements it (and its flow control). */
public interface FeedSink {

    void snapshotBegin(long sequence, Instant generatedAt, String jwksJson);

    void snapshotEntries(List<LogRow> rows);

    void snapshotEnd(long sequence, long entryCount);

    void event(LogRow row, long previousSequence);

    void heartbeat(long sequence, Instant serverTime);

    /** Whether the subscriber can take more right now, without waiting; false once it has gone away. */
    boolean isReady();

    /** Blocks until the subscriber can take more, or returns false when it has gone away. */
    boolean awaitReady() throws InterruptedException;
}
