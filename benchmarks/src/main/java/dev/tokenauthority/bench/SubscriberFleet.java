package dev.tokenauthority.bench;

import dev.tokenauthority.api.v1.SubscribeRequest;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.ToLongFunction;

/**
 * Many {@link FeedSubscriber}s in one JVM, each on a channel of its own (its own TCP connection
 * and HTTP/2 session), all sharing one small Netty event-loop group, one callback executor and
 * one reconnect timer: a thousand subscribers cost a thousand connections, not a thousand threads.
 */
final class SubscriberFleet implements AutoCloseable {

    /** How often a wait for the subscribers reports progress (stderr). */
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(10);

    private final NioEventLoopGroup eventLoops;
    private final ExecutorService callbacks;
    private final ScheduledExecutorService reconnects;
    private final List<FeedSubscriber> subscribers = new ArrayList<>();

    /**
     * @param request what every subscriber sends, but its id and position: client credentials, snapshot form
     * @param threads Netty event loops and callback threads (each)
     * @param arrivals where event arrivals go, or null
     */
    SubscriberFleet(LoopbackTarget authority, SubscribeRequest request, int count, int threads,
            EventArrivals arrivals) {
        this.eventLoops = new NioEventLoopGroup(threads, daemon("feed-load-netty"));
        this.callbacks = Executors.newFixedThreadPool(threads, daemon("feed-load-callback"));
        this.reconnects = Executors.newSingleThreadScheduledExecutor(daemon("feed-load-reconnect"));
        for (int i = 0; i < count; i++) {
            subscribers.add(new FeedSubscriber(i, NettyChannelBuilder.forAddress(authority.host(), authority.port())
                    .usePlaintext().eventLoopGroup(eventLoops).channelType(NioSocketChannel.class).executor(callbacks)
                    .build(), request, reconnects, arrivals));
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    List<FeedSubscriber> subscribers() {
        return subscribers;
    }

    int size() {
        return subscribers.size();
    }

    /** Starts every subscriber from the position {@code position} gives it: {sequence, entry_id}. */
    void start(IntFunction<long[]> position) {
        for (int i = 0; i < subscribers.size(); i++) {
            long[] p = position.apply(i);
            subscribers.get(i).startFrom(p[0], p[1]);
        }
    }

    /**
     * Waits until every subscriber is fresh on a stream that became fresh after {@code sinceNanos};
     * returns the System.nanoTime at which the last one did, or -1 on timeout.
     */
    long awaitAllFresh(long sinceNanos, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long nextProgress = start + PROGRESS_INTERVAL.toNanos();
        while (System.nanoTime() < deadline) {
            if (System.nanoTime() >= nextProgress) {
                System.err.printf("%.0f s: %d of %d subscribers fresh, %d snapshots received%n",
                        (System.nanoTime() - start) / 1e9, freshSince(sinceNanos), size(),
                        sum(FeedSubscriber::snapshots));
                nextProgress += PROGRESS_INTERVAL.toNanos();
            }
            long last = 0;
            boolean all = true;
            for (FeedSubscriber s : subscribers) {
                long at = s.freshAtNanos();
                if (at == 0 || at < sinceNanos) {
                    all = false;
                    break;
                }
                last = Math.max(last, at);
            }
            if (all) {
                return last;
            }
            Thread.sleep(20);
        }
        return -1;
    }

    /** How many subscribers are fresh on a stream that became fresh after {@code sinceNanos}. */
    long freshSince(long sinceNanos) {
        return subscribers.stream().filter(s -> s.freshAtNanos() != 0 && s.freshAtNanos() >= sinceNanos).count();
    }

    long sum(ToLongFunction<FeedSubscriber> counter) {
        return subscribers.stream().mapToLong(counter).sum();
    }

    @Override
    public void close() {
        subscribers.forEach(FeedSubscriber::close);
        reconnects.shutdownNow();
        eventLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        callbacks.shutdownNow();
    }
}
