package dev.tokenauthority.bench;

import dev.tokenauthority.api.v1.FeedMessage;
import dev.tokenauthority.api.v1.RevocationFeedServiceGrpc;
import dev.tokenauthority.api.v1.SubscribeRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bare Subscribe stream in this process, recording when each event arrives: the authority's
 * share of the propagation time, without a sidecar's threads or state in the way.
 */
record PropagationFeedProbe(LoopbackTarget target, ManagedChannel channel, ConcurrentHashMap<Long, Long> arrivals) {

    static PropagationFeedProbe start(LoopbackTarget target, String secret) {
        ManagedChannel channel = NettyChannelBuilder.forAddress(target.host(), target.port()).usePlaintext()
                .directExecutor().build();
        PropagationFeedProbe probe = new PropagationFeedProbe(target, channel, new ConcurrentHashMap<>());
        RevocationFeedServiceGrpc.newStub(channel).subscribe(
                SubscribeRequest.newBuilder().setClientId("demo-sidecar")
                        .setClientSecret(secret).setSidecarId("propagation-probe").build(),
                new StreamObserver<>() {
                    @Override
                    public void onNext(FeedMessage m) {
                        FeedArrivals.record(m, probe.arrivals());
                    }

                    @Override
                    public void onError(Throwable t) {
                        if (!channel.isShutdown()) {
                            System.err.println("feed probe on " + target + " failed: " + t);
                        }
                    }

                    @Override
                    public void onCompleted() { }
                });
        return probe;
    }

    void close() {
        channel.shutdownNow();
    }
}
