package dev.tokenauthority.bench;

import dev.tokenauthority.sidecar.Sidecar;
import dev.tokenauthority.sidecar.server.StalePolicy;
import dev.tokenauthority.sidecar.validation.AcceptedAudiences;
import dev.tokenauthority.sidecar.validation.ValidatorSettings;
import io.grpc.ManagedChannel;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Several independent validator sidecars in one JVM, for the propagation benchmark: each has its
 * own channel (own HTTP/2 connection) to the authority, its own feed subscription, revocation
 * state, validator and TCP listener, exactly as {@code SidecarMain} wires one. They share only
 * the JVM and gRPC's default Netty event-loop threads.
 *
 * <p>Why: eight sidecar JVMs on a 2-core machine spend most of a revocation's propagation waiting
 * for a core (JIT, GC and housekeeping threads of eight JVMs). One JVM shows what the sidecars'
 * own path costs without that co-tenancy; it is reported beside, never instead of, the run with
 * one process per sidecar. Listens on 127.0.0.1 only; runs until stopped (SIGTERM).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.tokenauthority.bench.SidecarFleet --authority 127.0.0.1:17271 \
 *     --first-port 17281 --count 8 --issuer http://localhost:7070 --audience demo-api \
 *     --client-id demo-sidecar --client-secret-file DIR/demo-sidecar.secret
 * </pre>
 */
@Command(name = "sidecar-fleet", mixinStandardHelpOptions = true,
        description = "Runs N independent validator sidecars in one JVM on consecutive loopback ports.")
public final class SidecarFleet implements Callable<Integer> {

    @Option(names = "--authority", required = true, converter = LoopbackTarget.Converter.class,
            description = "The authority (loopback host:port).")
    LoopbackTarget authority;

    @Option(names = "--first-port", required = true, description = "TCP port of the first sidecar; the others follow.")
    int firstPort;

    @Option(names = "--count", defaultValue = "8", description = "Sidecars (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--issuer", required = true) String issuer;
    @Option(names = "--audience", required = true, split = ",",
            description = "Audiences the sidecars accept, as SidecarMain's --audience.") List<String> audiences;
    @Option(names = "--client-id", required = true) String clientId;
    @Option(names = "--client-secret-file", required = true) Path clientSecretFile;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SidecarFleet()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (count < 1 || count > 64) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--count must be within 1..64");
        }
        String secret = Files.readString(clientSecretFile).strip();
        ValidatorSettings validator = ValidatorSettings.forIssuer(issuer, AcceptedAudiences.anyOf(audiences));
        List<Sidecar> sidecars = new ArrayList<>();
        List<ManagedChannel> channels = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ManagedChannel channel = NettyChannelBuilder.forAddress(authority.host(), authority.port())
                    .usePlaintext().build();
            channels.add(channel);
            List<ServerBuilder<?>> listener = List.of(
                    NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", firstPort + i)));
            sidecars.add(new Sidecar(new Sidecar.Settings(validator, "fleet-sidecar-" + i, clientId, secret,
                    Duration.ofSeconds(30), StalePolicy.FAIL_CLOSED), channel, listener, Clock.systemUTC()).start());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Sidecar sidecar : sidecars) {
                try {
                    sidecar.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            channels.forEach(ManagedChannel::shutdownNow);
            stopped.countDown();
        }, "shutdown"));
        System.out.printf("%d sidecars on 127.0.0.1:%d-%d following %s%n", count, firstPort, firstPort + count - 1,
                authority);
        stopped.await();
        return 0;
    }
}
