package dev.tokenauthority.bench;

import dev.tokenauthority.api.v1.SubscribeRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options {@link FeedFanoutBenchmark} and {@link ReconnectStormBenchmark} share (a picocli mixin). */
final class FeedLoadOptions {

    @Option(names = "--authority", required = true, converter = LoopbackTarget.Converter.class,
            description = "The authority's gRPC port (loopback host:port).")
    LoopbackTarget authority;

    @Option(names = "--authority-pid", required = true, description = "Its process id (heap, CPU).")
    long authorityPid;

    @Option(names = "--client-id", defaultValue = "demo-sidecar", description = "A client holding feed:subscribe.")
    String clientId;

    @Option(names = "--client-secret-file", required = true, description = "That client's secret.")
    Path clientSecretFile;

    @Option(names = "--subscribers", defaultValue = "1000",
            description = "Subscribers, one connection each (default ${DEFAULT-VALUE}).")
    int subscribers;

    @Option(names = "--threads", defaultValue = "2",
            description = "Netty event loops, and callback threads, shared by all subscribers "
                    + "(default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--full-snapshots",
            description = "Ask for snapshots with every entry in full, as sidecars before the hashed form did "
                    + "(default: the hashed form, as the sidecar asks).")
    boolean fullSnapshots;

    @Option(names = "--label", description = "Free text printed above the report.")
    String label;

    SubscriberFleet fleet(EventArrivals arrivals) throws IOException {
        SubscribeRequest credentials = SubscribeRequest.newBuilder().setClientId(clientId)
                .setClientSecret(Files.readString(clientSecretFile).strip())
                .setAcceptsHashedSnapshot(!fullSnapshots).build();
        return new SubscriberFleet(authority, credentials, subscribers, threads, arrivals);
    }

    /** How the subscribers take snapshots, for report headings. */
    String snapshotForm() {
        return fullSnapshots ? "full snapshots" : "hashed snapshots";
    }

    String title(String what) {
        return (label == null ? "" : label + " - ") + what;
    }
}
