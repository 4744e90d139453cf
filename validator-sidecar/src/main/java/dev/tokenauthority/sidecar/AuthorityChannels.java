package dev.tokenauthority.sidecar;

import dev.tokenauthority.sidecar.feed.AuthorityReplicas;
import dev.tokenauthority.sidecar.feed.AuthorityReplicas.Replica;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The channels to the authority replicas named by {@code --authority}: one per {@code host:port}, and one per address
 * when a name resolves to several (a DNS name for the whole set of replicas), so the feed client can choose which
 * replica its stream is on (see {@link AuthorityReplicas}). A name with one address, or none yet, gets a channel of
 * its own that grpc-java's DNS resolver re-resolves. Names are resolved again each time the feed client has been
 * round every replica ({@link #replicas()}): channels to addresses still listed are kept, the others shut down.
 */
final class AuthorityChannels implements AutoCloseable, Supplier<List<Replica>> {

    private final List<Target> targets;
    private final ChannelCredentials credentials;
    private final Function<String, List<InetAddress>> resolver;
    private Map<String, ManagedChannel> channels = new LinkedHashMap<>();

    /** host:port (an IPv6 host in brackets) as written in --authority. */
    record Target(String host, int port) {

        static Target parse(String target) {
            String text = target.strip();
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1 || text.endsWith("]")) {
                throw new IllegalArgumentException("--authority: expected host:port, got \"" + target + "\" without "
                        + "a port; add the authority's gRPC port, e.g. --authority " + text.replaceFirst(":$", "")
                        + ":7070");
            }
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65_535 || host.isEmpty()) {
                throw new IllegalArgumentException("--authority: expected host:port, got \"" + target + "\"");
            }
            return new Target(host, port);
        }

        String authority() {
            return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        }
    }

    AuthorityChannels(List<String> targets, ChannelCredentials credentials) {
        this(targets, credentials, AuthorityChannels::resolve);
    }

    /** With the resolver a test chooses; it answers an empty list for a name it cannot resolve. */
    AuthorityChannels(List<String> targets, ChannelCredentials credentials,
            Function<String, List<InetAddress>> resolver) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("--authority: at least one authority address is required");
        }
        this.targets = targets.stream().map(Target::parse).toList();
        this.credentials = credentials;
        this.resolver = resolver;
        get();
    }

    /** The replicas as the names resolve now, in the order given; called from one thread at a time. */
    @Override
    public synchronized List<Replica> get() {
        Map<String, ManagedChannel> now = new LinkedHashMap<>();
        for (Target target : targets) {
            List<InetAddress> addresses = resolver.apply(target.host());
            if (addresses.size() <= 1) {
                String name = target.authority();
                now.computeIfAbsent(name, key -> existingOr(key, () -> Grpc.newChannelBuilder(name, credentials).build()));
                continue;
            }
            for (InetAddress address : addresses) {
                InetSocketAddress socket = new InetSocketAddress(address, target.port());
                // The replica's certificate names the host, not the address: keep the name as the authority.
                now.computeIfAbsent(target.authority() + "/" + address.getHostAddress(),
                        key -> existingOr(key, () -> NettyChannelBuilder.forAddress(socket, credentials)
                                .overrideAuthority(target.authority()).build()));
            }
        }
        channels.forEach((name, channel) -> {
            if (!now.containsKey(name)) {
                channel.shutdown();
            }
        });
        channels = now;
        List<Replica> replicas = new ArrayList<>();
        now.forEach((name, channel) -> replicas.add(new Replica(name, channel)));
        return replicas;
    }

    private ManagedChannel existingOr(String name, Supplier<ManagedChannel> create) {
        ManagedChannel existing = channels.get(name);
        return existing != null ? existing : create.get();
    }

    AuthorityReplicas replicas() {
        return new AuthorityReplicas(this);
    }

    synchronized List<String> names() {
        return List.copyOf(channels.keySet());
    }

    private static List<InetAddress> resolve(String host) {
        try {
            return List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            return List.of(); // not yet: the channel's own resolver keeps trying
        }
    }

    @Override
    public synchronized void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
    }
}
