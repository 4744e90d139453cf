package dev.tokenauthority.bench;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.tokenauthority.api.v1.FeedMessage;
import dev.tokenauthority.api.v1.RevocationFeedServiceGrpc;
import dev.tokenauthority.api.v1.SubscribeRequest;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * One feed message as a load generator receives it: its size on the wire and, for everything but
 * a snapshot chunk, the decoded message. Chunks are counted, never decoded: the load generator
 * needs only their bytes (entries come from {@code SnapshotEnd.entry_count}), so it neither cares
 * how the authority encodes a chunk nor spends the shared cores decoding millions of entries.
 *
 * @param message the decoded message, or null for a snapshot chunk
 * @param wireBytes the serialized message plus gRPC's 5-byte length prefix
 */
record FeedFrame(FeedMessage message, int wireBytes) {

    /** gRPC's per-message prefix: a compressed flag and a 4-byte length. */
    private static final int GRPC_PREFIX_BYTES = 5;
    private static final int SNAPSHOT_CHUNK_FIELD = FeedMessage.SNAPSHOT_CHUNK_FIELD_NUMBER;

    boolean isSnapshotChunk() {
        return message == null;
    }

    /** RevocationFeedService/Subscribe, answering with frames instead of decoded messages. */
    static final MethodDescriptor<SubscribeRequest, FeedFrame> SUBSCRIBE =
            RevocationFeedServiceGrpc.getSubscribeMethod().toBuilder(
                    RevocationFeedServiceGrpc.getSubscribeMethod().getRequestMarshaller(), new Marshaller()).build();

    private static final class Marshaller implements MethodDescriptor.Marshaller<FeedFrame> {
        @Override
        public InputStream stream(FeedFrame frame) {
            throw new UnsupportedOperationException("frames are only received");
        }

        @Override
        public FeedFrame parse(InputStream stream) {
            try {
                byte[] bytes = stream.readAllBytes();
                int field = CodedInputStream.newInstance(bytes).readTag() >>> 3;
                FeedMessage message = field == SNAPSHOT_CHUNK_FIELD ? null : FeedMessage.parseFrom(bytes);
                return new FeedFrame(message, bytes.length + GRPC_PREFIX_BYTES);
            } catch (InvalidProtocolBufferException e) {
                throw Status.INTERNAL.withDescription("undecodable feed message").withCause(e).asRuntimeException();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
