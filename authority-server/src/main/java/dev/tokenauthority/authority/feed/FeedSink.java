package dev.tokenauthority.authority.feed;

import dev.tokenauthority.authority.token.RevocationLogStore.LogRow;
import dev.tokenauthority.authority.token.RevocationLogStore.Position;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Where a subscription writes; the transport implements it (and its flow control). */
public interface FeedSink {

    /** The most events one message carries (about 100 KB): a bulk revocation travels in a few messages. */
    int EVENTS_PER_MESSAGE = 1000;

    void snapshotBegin(long sequence, Instant generatedAt, String jwksJson);

    /** Sends message {@code part} of a snapshot encoded once for every subscriber (see {@link SharedSnapshots}). */
    void snapshotPart(SnapshotEncoder.EncodedSnapshot snapshot, int part);

    void snapshotEntries(List<LogRow> rows);

    /** Ends a snapshot that reflects the log up to {@code position}, the subscriber's position from now on. */
    void snapshotEnd(Position position, long entryCount);

    /**
     * Sends rows in sequence order, the first following {@code previousSequence} and each
     * following the one before it, as one message (at most {@link #EVENTS_PER_MESSAGE}).
     */
    void events(List<LogRow> rows, long previousSequence);

    /** Every entry up to {@code sequence} has been sent, and at {@code logReadAt} the log ended there or before. */
    void heartbeat(long sequence, Instant serverTime, Instant logReadAt);

    /** Whether the subscriber can take more right now, without waiting; false once it has gone away. */
    boolean isReady();

    /** Blocks until the subscriber can take more, or returns false when it has gone away. */
    boolean awaitReady() throws InterruptedException;

    /**
     * Blocks until the subscriber can take more or {@code atMost} has passed; false only when it has gone away (it
     * may still not be ready after a true: check {@link #isReady()}).
     */
    boolean awaitReady(Duration atMost) throws InterruptedException;
}
