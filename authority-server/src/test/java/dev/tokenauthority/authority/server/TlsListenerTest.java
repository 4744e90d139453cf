package dev.tokenauthority.authority.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.AuthServiceGrpc;
import dev.tokenauthority.api.v1.GetJwksRequest;
import dev.tokenauthority.api.v1.Jwks;
import dev.tokenauthority.api.v1.KeyServiceGrpc;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.cli.ListenerCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ServerCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authority over real Netty loopback with {@link ListenerCredentials} on both ends: TLS serves
 * clients that trust its CA and nobody else; mTLS additionally requires a client certificate its
 * client CA signed.
 */
class TlsListenerTest {

    private static final long DEADLINE_SECONDS = 10;

    @TempDir
    Path dir;

    private AuthorityFixture fx;
    private TestCertificateAuthority ca;
    private Path caCertificate;
    private TestCertificateAuthority.PemFiles serverCertificate;
    private TestCertificateAuthority.PemFiles clientCertificate;
    private final List<AuthorityServer> servers = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeEach
    void start() {
        fx = new AuthorityFixture(TestDatabase.Kind.H2);
        ca = TestCertificateAuthority.create("Token Authority Test CA");
        caCertificate = ca.writeCertificate(dir.resolve("ca.crt"));
        serverCertificate = ca.issueServer(dir, "server");
        clientCertificate = ca.issueClient(dir, "client");
    }

    @AfterEach
    void stop() throws Exception {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        for (AuthorityServer server : servers) {
            server.stop(java.time.Duration.ofSeconds(0));
        }
        fx.close();
    }

    private int listen(ServerCredentials credentials) throws IOException {
        AuthorityServer server = new AuthorityServer(Grpc.newServerBuilderForPort(0, credentials), fx.authority)
                .start();
        servers.add(server);
        return server.port();
    }

    private int listenWithTls() throws IOException {
        return listen(ListenerCredentials.of(serverCertificate.certificate(), serverCertificate.privateKey(), null));
    }

    private int listenWithMutualTls() throws IOException {
        return listen(ListenerCredentials.of(serverCertificate.certificate(), serverCertificate.privateKey(),
                caCertificate));
    }

    private ManagedChannel connect(String host, int port, ChannelCredentials credentials) {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(host, port, credentials).build();
        channels.add(channel);
        return channel;
    }

    private static ChannelCredentials trusting(Path ca) throws IOException {
        return ListenerCredentials.client(true, ca, null, null);
    }

    private static ChannelCredentials trustingWithCertificate(Path ca, TestCertificateAuthority.PemFiles client)
            throws IOException {
        return ListenerCredentials.client(true, ca, client.certificate(), client.privateKey());
    }

    private static Jwks getJwks(ManagedChannel channel) {
        return KeyServiceGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .getJwks(GetJwksRequest.getDefaultInstance());
    }

    private static TokenPair loginAlice(ManagedChannel channel) {
        return AuthServiceGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .login(LoginRequest.newBuilder().setClientId(DemoData.APP_CLIENT).setUsername(AuthorityFixture.ALICE)
                        .setPassword(DemoData.USER_PASSWORD).build());
    }

    private static Status.Code codeOf(Runnable call) {
        try {
            call.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    @Test
    void aTlsListenerServesJwksAndLoginToAClientTrustingItsCa() throws IOException {
        ManagedChannel channel = connect("127.0.0.1", listenWithTls(), trusting(caCertificate));

        assertThat(getJwks(channel).getKeysCount()).isPositive();
        assertThat(loginAlice(channel).getAccessToken()).isNotEmpty();
    }

    @Test
    void aTlsListenerAnswersToItsDnsNameToo() throws IOException {
        ManagedChannel channel = connect("localhost", listenWithTls(), trusting(caCertificate));

        assertThat(getJwks(channel).getKeysCount()).isPositive();
    }

    @Test
    void aPlaintextClientCannotCallATlsListener() throws IOException {
        ManagedChannel channel = connect("127.0.0.1", listenWithTls(), InsecureChannelCredentials.create());

        assertThat(codeOf(() -> getJwks(channel))).isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void aClientThatDoesNotTrustTheServersCaIsNotConnected() throws IOException {
        Path otherCa = TestCertificateAuthority.create("Some Other CA").writeCertificate(dir.resolve("other-ca.crt"));
        ManagedChannel channel = connect("127.0.0.1", listenWithTls(), trusting(otherCa));

        assertThat(codeOf(() -> getJwks(channel))).isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void aMutualTlsListenerRefusesATlsClientWithoutACertificate() throws IOException {
        ManagedChannel channel = connect("127.0.0.1", listenWithMutualTls(), trusting(caCertificate));

        assertThat(codeOf(() -> getJwks(channel))).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(codeOf(() -> loginAlice(channel))).isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void aMutualTlsListenerServesAClientWithACertificateFromItsClientCa() throws IOException {
        ManagedChannel channel = connect("127.0.0.1", listenWithMutualTls(),
                trustingWithCertificate(caCertificate, clientCertificate));

        assertThat(getJwks(channel).getKeysCount()).isPositive();
        assertThat(loginAlice(channel).getAccessToken()).isNotEmpty();
    }

    @Test
    void aMutualTlsListenerRefusesAClientCertificateFromAnotherCa() throws IOException {
        TestCertificateAuthority.PemFiles stranger = TestCertificateAuthority.create("Some Other CA")
                .issueClient(dir, "stranger");
        ManagedChannel channel = connect("127.0.0.1", listenWithMutualTls(),
                trustingWithCertificate(caCertificate, stranger));

        assertThat(codeOf(() -> getJwks(channel))).isEqualTo(Status.Code.UNAVAILABLE);
    }
}
