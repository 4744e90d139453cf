package dev.tokenauthority.authority.api;

import dev.tokenauthority.api.v1.AcknowledgeResponse;
import dev.tokenauthority.api.v1.Acknowledgement;
import dev.tokenauthority.api.v1.FeedEvents;
import dev.tokenauthority.api.v1.FeedMessage;
import dev.tokenauthority.api.v1.Heartbeat;
import dev.tokenauthority.api.v1.RevocationFeedServiceGrpc;
import dev.tokenauthority.api.v1.SnapshotBegin;
import dev.tokenauthority.api.v1.SnapshotChunk;
import dev.tokenauthority.api.v1.SnapshotEnd;
import dev.tokenauthority.api.v1.SubscribeRequest;
import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.client.Client;
import dev.tokenauthority.authority.client.ClientAuthenticator;
import dev.tokenauthority.authority.client.SubscriberAccess;
import dev.tokenauthority.authority.feed.FeedSink;
import dev.tokenauthority.authority.fleet.SidecarFleet;
import dev.tokenauthority.authority.feed.FeedSubscription;
import dev.tokenauthority.authority.feed.SnapshotEncoder;
import dev.tokenauthority.authority.token.RevocationLogStore.LogRow;
import dev.tokenauthority.authority.token.RevocationLogStore.Position;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The revocation feed over gRPC: authenticates the sidecar (client credentials with
 * {@code feed:subscribe}, or a client certificate verified by mTLS), then streams its subscription
 * on a thread of its own, honouring the transport's flow control. Live entries for a caught-up
 * subscriber are written by the thread that publishes them (see {@code LiveStream}), so writes
 * to one stream come from two threads and are serialised here.
 */
public final class RevocationFeedGrpcService extends RevocationFeedServiceGrpc.RevocationFeedServiceImplBase {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationFeedGrpcService.class);
    /**
     * How a stream ends when its replica shuts down. Sidecars recognise the description's start (see
     * feed.proto) and go to another replica at once rather than after their backoff.
     */
    public static final Status SHUTTING_DOWN = Status.UNAVAILABLE.withDescription(
            "authority shutting down: subscribe to another replica");

    private final FeedSubscription subscription;
    private final FeedMessages messages;
    private final ClientAuthenticator clients;
    private final SubscriberAccess access;
    private final SidecarFleet fleet;
    /** The streams open now, to end when the replica shuts down. */
    private final Set<GrpcSink> open = ConcurrentHashMap.newKeySet();
    private volatile boolean endingStreams;
    private final ExecutorService streams = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "feed-subscriber");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param access ends a stream when its client loses the right to it (see {@link SubscriberAccess})
     * @param fleet where each stream's sidecar, and what it acknowledges, is kept
     */
    public RevocationFeedGrpcService(FeedSubscription subscription, ClientAuthenticator clients,
            SubscriberAccess access, SidecarFleet fleet) {
        this.subscription = subscription;
        this.messages = new FeedMessages(subscription.maxAccessTokenLifetime());
        this.clients = clients;
        this.access = access;
        this.fleet = fleet;
    }

    @Override
    public void subscribe(SubscribeRequest request, StreamObserver<FeedMessage> observer) {
        ServerCallStreamObserver<FeedMessage> call = (ServerCallStreamObserver<FeedMessage>) observer;
        Optional<Client> client;
        try {
            client = authenticate(request);
            if (request.getAfterSequence() < 0) {
                throw AuthorityException.invalidArgument("after_sequence", "must not be negative");
            }
            RequestFields.optional("sidecar_id", request.getSidecarId(), 256);
        } catch (RuntimeException e) {
            observer.onError(GrpcCalls.toStatus(e));
            return;
        }
        SidecarFleet.Connection sidecar = fleet.connected(request.getSidecarId(),
                client.map(Client::clientId).orElse(""), GrpcCalls.context().callerIp());
        GrpcSink sink = new GrpcSink(call, messages, sidecar.token());
        open.add(sink);
        if (endingStreams) {
            // Arrived while the server stopped taking calls: endStreams may have missed it.
            sink.fail(SHUTTING_DOWN);
        }
        streams.execute(() -> {
            // Registered after authenticating with the client as then read: a change committed in
            // between is caught by the first check. Ending the stream marks the sink failed, which
            // the streaming thread notices within a heartbeat interval; it is not interrupted,
            // because an interrupt during H2's file I/O closes the database file for everyone.
            SubscriberAccess.Registration tracked = client.map(c -> access.open(c,
                    refusal -> sink.fail(GrpcCalls.toStatus(refusal).getStatus()))).orElse(() -> { });
            try (tracked) {
                subscription.stream(new Position(request.getAfterSequence(), request.getAfterEntryId()),
                        request.getAcceptsHashedSnapshot(), sink);
            } catch (FeedSubscription.SubscriberTooSlowException e) {
                sink.fail(Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()));
            } catch (FeedSubscription.LogRewoundException | FeedSubscription.ReplicaBehindException e) {
                sink.fail(Status.UNAVAILABLE.withDescription(e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                sink.fail(SHUTTING_DOWN);
            } catch (RuntimeException e) {
                LOG.warn("feed subscription of {} ended: {}", request.getSidecarId(), e.getMessage());
                sink.fail(GrpcCalls.toStatus(e).getStatus());
            } finally {
                open.remove(sink);
                sidecar.close();
            }
        });
    }

    /**
     * The positions a subscriber reports having applied. Its first message names the subscription by the token its
     * stream carries (in every SnapshotEnd and Heartbeat) and carries that subscription's credentials; one whose
     * token names no open subscription of the same client here is refused with FAILED_PRECONDITION (subscribe
     * first). Acknowledgements only update {@link SidecarFleet}: nothing here touches the database or the stream. The call ends when the subscription does
     * (so a client that keeps it open holds nothing once its subscription is gone, e.g. after its access was revoked).
     */
    @Override
    public StreamObserver<Acknowledgement> acknowledge(StreamObserver<AcknowledgeResponse> observer) {
        String callerIp = GrpcCalls.context().callerIp();
        boolean certificate = GrpcCalls.hasVerifiedClientCertificate();
        return new StreamObserver<>() {
            private SidecarFleet.Connection connection;
            /** Whether the call ended: it is answered once, from the call's thread or the subscription's. */
            private boolean ended;
            /** Forgets this call at its subscription's end (see onError). */
            private volatile Runnable unregister = () -> { };

            @Override
            public void onNext(Acknowledgement ack) {
                SidecarFleet.Connection bound = null;
                synchronized (this) {
                    if (ended) {
                        return;
                    }
                    try {
                        if (connection == null) {
                            connection = subscriptionOf(ack, certificate);
                            connection.reportsVersion(RequestFields.optional("version", ack.getVersion(), 64));
                            bound = connection;
                        }
                        connection.acknowledged(ack.getAppliedSequence());
                    } catch (RuntimeException e) {
                        ended = true;
                        LOG.debug("acknowledgements from {} at {} refused: {}", ack.getSidecarId(), callerIp,
                                e.getMessage());
                        observer.onError(GrpcCalls.toStatus(e));
                        return;
                    }
                }
                if (bound != null) {
                    unregister = bound.whenClosed(this::onCompleted); // at once if the subscription already ended
                }
            }

            @Override
            public void onError(Throwable t) {
                // The subscriber went away (its subscription's end says so): nothing more is sent.
                synchronized (this) {
                    ended = true;
                }
                unregister.run();
            }

            @Override
            public synchronized void onCompleted() {
                if (!ended) {
                    ended = true;
                    observer.onNext(AcknowledgeResponse.getDefaultInstance());
                    observer.onCompleted();
                }
            }
        };
    }

    private SidecarFleet.Connection subscriptionOf(Acknowledgement ack, boolean certificate) {
        String clientId = "";
        if (!(ack.getClientId().isEmpty() && certificate)) {
            clientId = clients.authenticateWithPermission(RequestFields.required("client_id", ack.getClientId()),
                    RequestFields.optional("client_secret", ack.getClientSecret()), Client.SUBSCRIBE_FEED).clientId();
        }
        String expectedClient = clientId;
        // The token, not the sidecar id, names the stream: ids are chosen by operators and may be shared, the token
        // was sent on that one stream only.
        String token = RequestFields.required("acknowledgement_token", ack.getAcknowledgementToken());
        return fleet.connectionOfToken(token)
                .filter(connection -> connection.clientId().equals(expectedClient))
                .orElseThrow(() -> AuthorityException.failedPrecondition("the acknowledgement_token names no open "
                        + "subscription of this client on this replica: subscribe first, and acknowledge with the "
                        + "token its stream opened with"));
    }

    /** The client the stream is for, or empty for one authenticated by its certificate (mTLS). */
    private Optional<Client> authenticate(SubscribeRequest request) {
        if (request.getClientId().isEmpty() && GrpcCalls.hasVerifiedClientCertificate()) {
            return Optional.empty();
        }
        return Optional.of(clients.authenticateWithPermission(RequestFields.required("client_id", request.getClientId()),
                RequestFields.optional("client_secret", request.getClientSecret()), Client.SUBSCRIBE_FEED));
    }

    /**
     * Ends every open stream now with {@link #SHUTTING_DOWN}. Their threads see the failed sink
     * within a heartbeat interval and stop; nothing is interrupted (see {@link #subscribe}).
     */
    public void endStreams() {
        endingStreams = true;
        open.forEach(sink -> sink.fail(SHUTTING_DOWN));
    }

    public void shutdown() {
        endStreams();
        streams.shutdownNow();
    }

    /** Writes feed messages to one gRPC stream, waiting while the transport is not ready. */
    private static final class GrpcSink implements FeedSink {
        private final ServerCallStreamObserver<FeedMessage> call;
        private final FeedMessages messages;
        private final FlowControl flow;
        private final String acknowledgementToken;
        private volatile boolean failed;

        /** @param acknowledgementToken sent in every SnapshotEnd and Heartbeat: what this stream's acks present */
        GrpcSink(ServerCallStreamObserver<FeedMessage> call, FeedMessages messages, String acknowledgementToken) {
            this.acknowledgementToken = acknowledgementToken;
            this.call = call;
            this.messages = messages;
            this.flow = new FlowControl(call);
        }

        private boolean gone() {
            return failed || flow.isCancelled();
        }

        @Override
        public boolean isReady() {
            return !gone() && call.isReady();
        }

        @Override
        public boolean awaitReady() throws InterruptedException {
            return !failed && flow.awaitReady();
        }

        @Override
        public boolean awaitReady(Duration atMost) throws InterruptedException {
            return !failed && flow.awaitReady(atMost.toMillis());
        }

        @Override
        public void snapshotBegin(long sequence, Instant generatedAt, String jwksJson) {
            send(FeedMessage.newBuilder().setSnapshotBegin(SnapshotBegin.newBuilder()
                    .setSequence(sequence).setGeneratedAt(Timestamps.of(generatedAt))).build());
            send(FeedMessage.newBuilder().setSnapshotChunk(SnapshotChunk.newBuilder()
                    .addEntries(messages.signingKeys(jwksJson))).build());
        }

        @Override
        public void snapshotPart(SnapshotEncoder.EncodedSnapshot snapshot, int part) {
            send(((HashedSnapshotEncoder.HashedSnapshot) snapshot).part(part));
        }

        @Override
        public void snapshotEntries(List<LogRow> rows) {
            SnapshotChunk.Builder chunk = SnapshotChunk.newBuilder();
            rows.forEach(row -> chunk.addEntries(messages.entry(row)));
            send(FeedMessage.newBuilder().setSnapshotChunk(chunk).build());
        }

        @Override
        public void snapshotEnd(Position position, long entryCount) {
            send(FeedMessage.newBuilder().setSnapshotEnd(SnapshotEnd.newBuilder()
                    .setSequence(position.sequence()).setEntryId(position.entryId()).setEntryCount(entryCount)
                    .setAcknowledgementToken(acknowledgementToken)).build());
        }

        @Override
        public void events(List<LogRow> rows, long previousSequence) {
            if (rows.size() == 1) {
                send(FeedMessage.newBuilder().setEvent(messages.event(rows.get(0), previousSequence)).build());
                return;
            }
            FeedEvents.Builder events = FeedEvents.newBuilder();
            long previous = previousSequence;
            for (LogRow row : rows) {
                events.addEvents(messages.event(row, previous));
                previous = row.sequence();
            }
            send(FeedMessage.newBuilder().setEvents(events).build());
        }

        @Override
        public void heartbeat(long sequence, Instant serverTime, Instant logReadAt) {
            send(FeedMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder()
                    .setSequence(sequence).setServerTime(Timestamps.of(serverTime))
                    .setLogReadAt(Timestamps.of(logReadAt)).setAcknowledgementToken(acknowledgementToken)).build());
        }

        private void send(FeedMessage message) {
            synchronized (call) {
                // Checked under the lock: a stream failed by another thread (shutdown, lost access) is closed.
                if (!gone()) {
                    call.onNext(message);
                }
            }
        }

        void fail(Status status) {
            synchronized (call) {
                if (!gone()) {
                    call.onError(status.asRuntimeException());
                    failed = true;
                }
            }
        }
    }
}
