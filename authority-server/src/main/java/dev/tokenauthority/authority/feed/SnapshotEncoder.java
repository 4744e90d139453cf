package dev.tokenauthority.authority.feed;

import dev.tokenauthority.authority.token.RevocationLogStore.LogRow;
import dev.tokenauthority.authority.token.RevocationLogStore.Position;
import java.time.Instant;
import java.util.List;

/**
 * Encodes a snapshot in the transport's form, once, for every subscriber that needs it (see {@link SharedSnapshots}).
 * The transport supplies it; the feed decides which rows go in.
 */
public interface SnapshotEncoder {

    /** Starts a snapshot that will reflect the log up to {@code sequence}, as of {@code generatedAt}. */
    Encoding start(long sequence, Instant generatedAt, String jwksJson);

    /** One snapshot being encoded; used by one thread. */
    interface Encoding {

        /** Adds entries, in log order. */
        void add(List<LogRow> rows);

        /** Ends the snapshot: from now on, its subscribers' position is {@code position}. */
        EncodedSnapshot finish(Position position);
    }

    /**
     * A finished snapshot: immutable, sent as {@link #parts()} messages by {@link FeedSink#snapshotPart}, the last of
     * which ends it at {@link #position()} (a subscription may end it later instead, after more entries).
     */
    interface EncodedSnapshot {

        /** The position of the last log entry the snapshot reflects. */
        Position position();

        /** When its log was read: at that moment the log ended at or before {@link #position()}. */
        Instant generatedAt();

        long entryCount();

        int parts();

        /** Its size on the wire, in bytes of serialized messages. */
        long bytes();
    }
}
