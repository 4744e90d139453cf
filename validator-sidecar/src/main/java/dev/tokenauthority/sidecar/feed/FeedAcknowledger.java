package dev.tokenauthority.sidecar.feed;

import dev.tokenauthority.api.v1.AcknowledgeResponse;
import dev.tokenauthority.api.v1.Acknowledgement;
import dev.tokenauthority.api.v1.RevocationFeedServiceGrpc;
import dev.tokenauthority.api.v1.SubscribeRequest;
import dev.tokenauthority.sidecar.state.InMemoryRevocationState;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the replica a stream follows what this sidecar has applied (RevocationFeedService.Acknowledge), so admins
 * see each sidecar's position and a revocation can wait until every sidecar applied it. One per feed stream, opened
 * with its first report, in the stream's context: it ends when the stream does.
 *
 * <p>Only a stream that carries a token (in its SnapshotEnd and Heartbeats) is acknowledged, with that token: the
 * authority knows the stream by it, whatever the sidecar id. A report follows every snapshot, run of events and heartbeat applied. Reports never wait: while the transport is
 * not ready only the latest position is kept, and sent when it is. Nothing here affects the feed: an authority that
 * does not know Acknowledge (UNIMPLEMENTED) or refuses it only means this sidecar is listed as not reporting.
 */
final class FeedAcknowledger {

    private static final Logger LOG = LoggerFactory.getLogger(FeedClient.class);
    /** This sidecar's version, from its jar's manifest ("dev" when run from classes). */
    static final String VERSION = Optional.ofNullable(FeedAcknowledger.class.getPackage().getImplementationVersion())
            .orElse("dev");

    private final Channel channel;
    private final Context.CancellableContext context;
    private final SubscribeRequest credentials;
    private final InMemoryRevocationState state;
    /** The stream's token (from a SnapshotEnd or Heartbeat); none from an authority that takes no acknowledgements. */
    private String token;
    private ClientCallStreamObserver<Acknowledgement> call;
    private boolean named;
    private boolean ended;
    /** The position last sent, and whether a report is waiting for the transport. */
    private long sentSequence = Long.MIN_VALUE;
    private boolean pending;

    FeedAcknowledger(Channel channel, Context.CancellableContext context, SubscribeRequest credentials,
            InMemoryRevocationState state) {
        this.channel = channel;
        this.context = context;
        this.credentials = credentials;
        this.state = state;
    }

    /**
     * Reports the state's position: always after a heartbeat (the sidecar's own sign of life), otherwise when it
     * moved.
     */
    /** The stream's token, as its SnapshotEnd or a Heartbeat carries it: acknowledgements may start. */
    synchronized void opened(String acknowledgementToken) {
        if (token == null && !acknowledgementToken.isEmpty()) {
            token = acknowledgementToken;
        }
    }

    synchronized void applied(boolean heartbeat) {
        if (ended || token == null || token.isEmpty()
                || (!heartbeat && state.appliedSequence() == sentSequence)) {
            return;
        }
        if (call == null) {
            context.run(() -> RevocationFeedServiceGrpc.newStub(channel).withExecutor(Runnable::run)
                    .acknowledge(new Responses()));
        }
        pending = true;
        flush();
    }

    private synchronized void flush() {
        if (ended || !pending || call == null || !call.isReady()) {
            return;
        }
        Acknowledgement.Builder ack = Acknowledgement.newBuilder()
                .setAppliedSequence(state.appliedSequence())
                .setAppliedEntryId(state.appliedEntryId());
        if (!named) {
            ack.setSidecarId(credentials.getSidecarId()).setClientId(credentials.getClientId())
                    .setClientSecret(credentials.getClientSecret()).setVersion(VERSION).setAcknowledgementToken(token);
            named = true;
        }
        call.onNext(ack.build());
        sentSequence = ack.getAppliedSequence();
        pending = false;
    }

    private synchronized void end(Throwable error) {
        ended = true;
        Status status = Status.fromThrowable(error);
        if (status.getCode() == Status.Code.UNIMPLEMENTED) {
            LOG.info("the authority does not take acknowledgements (an older version): this sidecar is listed as "
                    + "not reporting its position");
        } else if (status.getCode() != Status.Code.CANCELLED) {
            LOG.warn("the authority refused this sidecar's acknowledgements ({}: {}); the feed goes on",
                    status.getCode(), status.getDescription());
        }
    }

    private final class Responses implements ClientResponseObserver<Acknowledgement, AcknowledgeResponse> {
        @Override
        public void beforeStart(ClientCallStreamObserver<Acknowledgement> requestStream) {
            call = requestStream;
            requestStream.setOnReadyHandler(FeedAcknowledger.this::flush);
        }

        @Override
        public void onNext(AcknowledgeResponse value) {
        }

        @Override
        public void onError(Throwable t) {
            end(t);
        }

        @Override
        public void onCompleted() {
            end(Status.CANCELLED.asRuntimeException());
        }
    }
}
