package dev.tokenauthority.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.sidecar.feed.AuthorityReplicas;
import dev.tokenauthority.sidecar.feed.AuthorityReplicas.Replica;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * --authority: repeatable, comma-separated, from the environment, and a DNS name with several addresses as one replica
 * per address, resolved again after each round through them; a malformed address is refused naming the flag.
 */
class SidecarAuthorityOptionsTest {

    private static final List<String> REQUIRED = List.of("--issuer", "https://iss.test", "--audience", "demo-api",
            "--client-id", "demo-sidecar", "--client-secret-file", "/nonexistent/secret");

    private static List<String> replicas(Map<String, String> environment, String... flags) throws Exception {
        CommandLine command = SidecarMain.commandLine(environment);
        List<String> args = new ArrayList<>(REQUIRED);
        args.addAll(List.of(flags));
        command.parseArgs(args.toArray(String[]::new));
        try (AuthorityChannels channels = command.<SidecarMain>getCommand().authorityChannels()) {
            return channels.replicas().all().stream().map(r -> r.name()).toList();
        }
    }

    @Test
    void authorityIsRepeatableAndCommaSeparated() throws Exception {
        assertThat(replicas(Map.of(), "--authority", "127.0.0.1:7070")).containsExactly("127.0.0.1:7070");
        assertThat(replicas(Map.of(), "--authority", "127.0.0.1:7070, 127.0.0.2:7070", "--authority", "127.0.0.3:7071"))
                .containsExactly("127.0.0.1:7070", "127.0.0.2:7070", "127.0.0.3:7071");
        assertThat(replicas(Map.of(), "--authority", "127.0.0.1:7070,127.0.0.1:7070"))
                .as("the same address twice is one replica").containsExactly("127.0.0.1:7070");
        assertThat(replicas(Map.of(), "--authority", "[::1]:7070")).containsExactly("[::1]:7070");
    }

    @Test
    void authorityCanBeSetFromTheEnvironment() throws Exception {
        assertThat(replicas(Map.of("TOKENAUTHORITY_SIDECAR_AUTHORITY", "127.0.0.1:7070,127.0.0.2:7070")))
                .containsExactly("127.0.0.1:7070", "127.0.0.2:7070");
    }

    @Test
    void aMalformedAddressIsRefusedNamingTheFlag() {
        for (String bad : List.of("authority", "authority:", ":7070", "authority:http", "authority:70700")) {
            assertThatThrownBy(() -> replicas(Map.of(), "--authority", bad)).as(bad)
                    .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--authority")
                    .hasMessageContaining("host:port");
        }
    }

    @Test
    void aNonPositiveFailoverBoundIsRefused() {
        assertThatThrownBy(() -> replicas(Map.of(), "--authority", "127.0.0.1:1", "--failover-after", "0s"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--failover-after");
    }

    @Test
    void aNameWithSeveralAddressesIsOneReplicaPerAddressAndOneWithOneOrNoneIsOneReplica() throws Exception {
        Map<String, List<InetAddress>> dns = Map.of(
                "authority.internal", List.of(address("10.0.0.1"), address("10.0.0.2"), address("10.0.0.3")),
                "single.internal", List.of(address("10.0.1.1")));
        try (AuthorityChannels channels = new AuthorityChannels(
                List.of("authority.internal:7070", "single.internal:7070", "unknown.internal:7070"),
                InsecureChannelCredentials.create(), host -> dns.getOrDefault(host, List.of()))) {
            assertThat(channels.names()).containsExactly("authority.internal:7070/10.0.0.1",
                    "authority.internal:7070/10.0.0.2", "authority.internal:7070/10.0.0.3", "single.internal:7070",
                    "unknown.internal:7070");
            assertThat(channels.replicas().all().get(1).channel().authority())
                    .as("the replica's certificate names the host").isEqualTo("authority.internal:7070");
        }
    }

    @Test
    void aNameIsResolvedAgainAfterARoundThroughEveryReplicaKeepingTheChannelsOfAddressesStillListed() throws Exception {
        Map<String, List<InetAddress>> dns = new java.util.concurrent.ConcurrentHashMap<>(Map.of(
                "authority.internal", List.of(address("10.0.0.1"), address("10.0.0.2"))));
        try (AuthorityChannels channels = new AuthorityChannels(List.of("authority.internal:7070"),
                InsecureChannelCredentials.create(), dns::get)) {
            AuthorityReplicas replicas = channels.replicas();
            Replica second = replicas.all().get(1);
            dns.put("authority.internal", List.of(address("10.0.0.2"), address("10.0.0.3")));

            assertThat(replicas.moveOn()).as("within the round, the list stays").isSameAs(second);
            assertThat(replicas.moveOn().name()).as("after the round, the new list, from its start")
                    .isEqualTo("authority.internal:7070/10.0.0.2");
            assertThat(replicas.current().channel()).as("the channel of an address still listed is kept")
                    .isSameAs(second.channel());
            assertThat(replicas.all()).extracting(Replica::name).containsExactly("authority.internal:7070/10.0.0.2",
                    "authority.internal:7070/10.0.0.3");
            assertThat(((ManagedChannel) replicas.all().get(0).channel()).isShutdown()).isFalse();
        }
    }

    private static InetAddress address(String ip) throws UnknownHostException {
        return InetAddress.getByName(ip);
    }
}
