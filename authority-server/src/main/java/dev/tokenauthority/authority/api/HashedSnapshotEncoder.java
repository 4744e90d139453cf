package dev.tokenauthority.authority.api;

import com.google.protobuf.ByteString;
import dev.tokenauthority.api.IdHasher;
import dev.tokenauthority.api.v1.FeedMessage;
import dev.tokenauthority.api.v1.HashedEntries;
import dev.tokenauthority.api.v1.SnapshotBegin;
import dev.tokenauthority.api.v1.SnapshotChunk;
import dev.tokenauthority.api.v1.SnapshotEnd;
import dev.tokenauthority.authority.feed.SnapshotEncoder;
import dev.tokenauthority.authority.token.RevocationKind;
import dev.tokenauthority.authority.token.RevocationLogStore.LogRow;
import dev.tokenauthority.authority.token.RevocationLogStore.Position;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes shared snapshots in the hashed form (feed.proto's HashedEntries): revoked tokens and sessions and user
 * watermarks as SipHash values under a key drawn for the snapshot, with expiries as offsets, about 10 bytes per entry
 * on the wire against about 60 in full. Each chunk's hashed entries are serialized here, once, so sending the snapshot
 * to another subscriber copies bytes instead of encoding a million entries again. Entries with no hashed form
 * (suspensions, global watermarks: rare) go in full, in log order.
 */
public final class HashedSnapshotEncoder implements SnapshotEncoder {

    /** Entries per chunk: about 80 KB, so a chunk never waits long for flow control and a snapshot is a few hundred messages. */
    static final int ENTRIES_PER_CHUNK = 8192;

    private final FeedMessages messages;

    /** @param maxAccessTokenLifetime published with the signing keys, as in every key set on the feed */
    public HashedSnapshotEncoder(Duration maxAccessTokenLifetime) {
        this.messages = new FeedMessages(maxAccessTokenLifetime);
    }

    @Override
    public Encoding start(long sequence, Instant generatedAt, String jwksJson) {
        return new HashedEncoding(sequence, generatedAt, jwksJson);
    }

    /** A finished hashed snapshot: its messages, each serialized once when first sent and shared after that. */
    record HashedSnapshot(Position position, Instant generatedAt, long entryCount, List<FeedMessage> messages,
            long bytes) implements EncodedSnapshot {

        @Override
        public int parts() {
            return messages.size();
        }

        FeedMessage part(int index) {
            return messages.get(index);
        }
    }

    private final class HashedEncoding implements Encoding {
        private final IdHasher hasher = IdHasher.random();
        private final long baseSecond;
        private final long baseMicros;
        private final Instant generatedAt;
        private final List<FeedMessage> parts = new ArrayList<>();
        private HashedEntries.Builder hashed = HashedEntries.newBuilder();
        private SnapshotChunk.Builder chunk = SnapshotChunk.newBuilder();
        private int inChunk;
        private long entryCount;

        HashedEncoding(long sequence, Instant generatedAt, String jwksJson) {
            this.generatedAt = generatedAt;
            this.baseSecond = generatedAt.getEpochSecond();
            this.baseMicros = baseSecond * 1_000_000L;
            hashed.setBaseSecond(baseSecond);
            parts.add(FeedMessage.newBuilder().setSnapshotBegin(SnapshotBegin.newBuilder().setSequence(sequence)
                    .setGeneratedAt(Timestamps.of(generatedAt)).setIdHashKey(ByteString.copyFrom(hasher.key()))
                    .setIdHashCheck(hasher.hash(IdHasher.CHECK_ID))).build());
            parts.add(FeedMessage.newBuilder().setSnapshotChunk(SnapshotChunk.newBuilder()
                    .addEntries(messages.signingKeys(jwksJson))).build());
        }

        @Override
        public void add(List<LogRow> rows) {
            for (LogRow row : rows) {
                switch (RevocationKind.valueOf(row.kind())) {
                    case TOKEN -> hashed.addRevokedTokenHashes(hasher.hash(row.subject()))
                            .addRevokedTokenExpiryOffsets(expiryOffset(row));
                    case SESSION -> hashed.addRevokedSessionHashes(hasher.hash(row.subject()))
                            .addRevokedSessionExpiryOffsets(expiryOffset(row));
                    case USER_WATERMARK -> hashed.addWatermarkUserHashes(hasher.hash(row.subject()))
                            .addWatermarkInvalidatedOffsetsMicros(micros(row.effectiveAt()) - baseMicros)
                            .addWatermarkExpiryOffsets(expiryOffset(row));
                    default -> chunk.addEntries(messages.entry(row));
                }
                entryCount++;
                if (++inChunk == ENTRIES_PER_CHUNK) {
                    flush();
                }
            }
        }

        private long expiryOffset(LogRow row) {
            return row.expiresAt().getEpochSecond() - baseSecond;
        }

        private static long micros(Instant instant) {
            return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
        }

        private void flush() {
            if (inChunk > 0) {
                parts.add(FeedMessage.newBuilder().setSnapshotChunk(chunk.setHashedEntries(hashed.build().toByteString()))
                        .build());
                hashed = HashedEntries.newBuilder().setBaseSecond(baseSecond);
                chunk = SnapshotChunk.newBuilder();
                inChunk = 0;
            }
        }

        @Override
        public EncodedSnapshot finish(Position position) {
            flush();
            parts.add(FeedMessage.newBuilder().setSnapshotEnd(SnapshotEnd.newBuilder().setSequence(position.sequence())
                    .setEntryId(position.entryId()).setEntryCount(entryCount)).build());
            long bytes = parts.stream().mapToLong(FeedMessage::getSerializedSize).sum();
            return new HashedSnapshot(position, generatedAt, entryCount, List.copyOf(parts), bytes);
        }
    }
}
