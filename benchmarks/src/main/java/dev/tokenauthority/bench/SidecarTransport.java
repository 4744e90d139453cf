package dev.tokenauthority.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One channel (one HTTP/2 connection) to the sidecar, as one application process would hold, on
 * its own single event loop. The channel uses a direct executor, so callbacks run on that event
 * loop; no thread hand-off is measured that a real caller would not also have.
 */
record SidecarTransport(String name, ManagedChannel channel, EventLoopGroup group) {

    static SidecarTransport tcp(LoopbackTarget target) {
        EventLoopGroup group = new EpollEventLoopGroup(1);
        ManagedChannel channel = NettyChannelBuilder.forAddress(target.host(), target.port())
                .channelType(EpollSocketChannel.class)
                .eventLoopGroup(group)
                .usePlaintext()
                .directExecutor()
                .build();
        return new SidecarTransport("TCP loopback", channel, group);
    }

    static SidecarTransport unixSocket(Path socket) {
        EventLoopGroup group = new EpollEventLoopGroup(1);
        ManagedChannel channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toFile()))
                .channelType(EpollDomainSocketChannel.class)
                .eventLoopGroup(group)
                .usePlaintext()
                .directExecutor()
                .build();
        return new SidecarTransport("Unix socket", channel, group);
    }

    void close() throws InterruptedException {
        channel.shutdown();
        if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
            channel.shutdownNow();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }
}
