package dev.tokenauthority.sidecar.feed;

import io.grpc.Channel;
import java.util.List;
import java.util.function.Supplier;

/**
 * The authority replicas a feed client may follow, in the order given, and the one it follows now.
 *
 * <p>Design: one gRPC channel per replica (per resolved address of a DNS name), and the selection
 * here, rather than one channel with a load-balancing policy over every address. With pick_first
 * or round_robin the channel decides which replica a new stream lands on, and it only leaves a
 * replica whose connection breaks: a replica that keeps its connection but stops reading the
 * database (its heartbeats no longer advance {@code log_read_at}) or stops answering altogether
 * (a paused process, a stalled network path) looks healthy to it forever. The feed client
 * detects those, so it must also be the one to choose the next replica. Replicas on one database
 * share the log's identity (sequence and entry id), so the client resumes on the next one from
 * its position.
 *
 * <p>The client stays on a replica for as long as it vouches for freshness, and moves to the next
 * in order when it does not. After the last it asks the directory again (a DNS name may have other
 * addresses by now) and starts over at the first. Only the feed client's thread moves it; others
 * may read which replica is current.
 */
public final class AuthorityReplicas {

    /** One replica: a name for logs and the channel to it. */
    public record Replica(String name, Channel channel) {
    }

    private final Supplier<List<Replica>> directory;
    private volatile List<Replica> replicas;
    private volatile int current;

    /** A fixed list of replicas. */
    public AuthorityReplicas(List<Replica> replicas) {
        this(() -> replicas);
    }

    /** The replicas {@code directory} lists, asked at start and again after each round through them. */
    public AuthorityReplicas(Supplier<List<Replica>> directory) {
        this.directory = directory;
        this.replicas = List.copyOf(directory.get());
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("no authority replica to follow");
        }
    }

    /** A single authority (or a channel that balances by itself): moving on means reconnecting to it. */
    public static AuthorityReplicas of(Channel channel) {
        return new AuthorityReplicas(List.of(new Replica("authority", channel)));
    }

    public Replica current() {
        List<Replica> now = replicas;
        return now.get(Math.min(current, now.size() - 1));
    }

    /** Moves to the next replica in order and returns it; after the last, to the first the directory lists now. */
    public Replica moveOn() {
        current++;
        if (current == replicas.size()) {
            current = 0;
            List<Replica> now = List.copyOf(directory.get());
            if (!now.isEmpty()) {
                replicas = now;
            }
        }
        return current();
    }

    public int size() {
        return replicas.size();
    }

    public List<Replica> all() {
        return replicas;
    }
}
