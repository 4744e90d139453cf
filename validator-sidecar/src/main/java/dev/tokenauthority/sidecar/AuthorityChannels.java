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

/**
 * The channels to the authority replicas named by {@code --authority}: one per {@code host:port}, and one per address
 * when a name resolves to several (a DNS name for the whole set of replicas), so the feed client can choose which
 * replica its stream is on (see {@link AuthorityReplicas}). A name with several addresses is resolved once, at start;
 * a name with one address, or none yet, gets a channel of its own that grpc-java's DNS resolver re-resolves.
 */
final class AuthorityChannels implements AutoCloseable {

    private final Map<String, ManagedChannel> channels = new LinkedHashMap<>();

    /** host:port (an IPv6 host in brackets) as written in --authority. */
    record Target(String host, int port) {

        static Target parse(String target) {
            String text = target.strip();
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new IllegalArgumentException("--authority: expected host:port, got \"" + target + "\"");
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
        for (String text : targets) {
            Target target = Target.parse(text);
            List<InetAddress> addresses = resolver.apply(target.host());
            if (addresses.size() <= 1) {
                channels.computeIfAbsent(target.authority(),
                        name -> Grpc.newChannelBuilder(name, credentials).build());
                continue;
            }
            for (InetAddress address : addresses) {
                InetSocketAddress socket = new InetSocketAddress(address, target.port());
                // The replica's certificate names the host, not the address: keep the name as the authority.
                channels.computeIfAbsent(target.authority() + "/" + address.getHostAddress(),
                        name -> NettyChannelBuilder.forAddress(socket, credentials)
                                .overrideAuthority(target.authority()).build());
            }
        }
    }

    AuthorityReplicas replicas() {
        List<Replica> replicas = new ArrayList<>();
        channels.forEach((name, channel) -> replicas.add(new Replica(name, channel)));
        return new AuthorityReplicas(replicas);
    }

    List<String> names() {
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
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
    }
}
