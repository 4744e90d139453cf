package dev.tokenauthority.authority.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.UnprocessedRequestException;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import dev.tokenauthority.api.v1.GetJwksRequest;
import dev.tokenauthority.api.v1.KeyServiceGrpc;
import dev.tokenauthority.authority.server.TestCertificateAuthority;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web port with the gRPC port's TLS flags: HTTPS for clients trusting the CA, and mTLS on demand. */
class WebListenerTlsTest {

    @TempDir
    Path dir;

    private AuthorityFixture fx;
    private Path caCertificate;
    private TestCertificateAuthority.PemFiles server;
    private TestCertificateAuthority.PemFiles client;
    private final List<WebListener> listeners = new ArrayList<>();
    private final List<ClientFactory> factories = new ArrayList<>();

    @BeforeEach
    void start() {
        fx = new AuthorityFixture(TestDatabase.Kind.H2);
        TestCertificateAuthority ca = TestCertificateAuthority.create("Token Authority Web Test CA");
        caCertificate = ca.writeCertificate(dir.resolve("ca.crt"));
        server = ca.issueServer(dir, "server");
        client = ca.issueClient(dir, "client");
    }

    @AfterEach
    void stop() throws Exception {
        listeners.forEach(WebListener::stop);
        factories.forEach(ClientFactory::close);
        fx.close();
    }

    @Test
    void servesTheConsoleAndGrpcWebOverTls() {
        int port = listen(null);
        ClientFactory trusting = factory(tls -> tls.trustManager(caCertificate.toFile()));

        AggregatedHttpResponse console = WebClient.builder("https://localhost:" + port).factory(trusting).build()
                .get("/admin/").aggregate().join();
        assertThat(console.status()).isEqualTo(HttpStatus.OK);
        assertThat(console.contentUtf8()).contains("Token Authority");
        assertThat(console.headers().get("content-security-policy")).contains("default-src 'self'");

        KeyServiceGrpc.KeyServiceBlockingStub keys = GrpcClients.builder("https://localhost:" + port)
                .serializationFormat(GrpcSerializationFormats.PROTO_WEB).factory(trusting)
                .build(KeyServiceGrpc.KeyServiceBlockingStub.class);
        assertThat(keys.getJwks(GetJwksRequest.getDefaultInstance()).getKeysList()).isNotEmpty();

        ClientFactory untrusting = factory(tls -> { });
        assertThatThrownBy(() -> WebClient.builder("https://localhost:" + port).factory(untrusting).build()
                .get("/admin/").aggregate().join()).hasStackTraceContaining("SSLHandshakeException");
    }

    @Test
    void mutualTlsRequiresAClientCertificateFromTheClientCa() {
        int port = listen(caCertificate);
        ClientFactory withCertificate = factory(tls -> tls.trustManager(caCertificate.toFile())
                .keyManager(client.certificate().toFile(), client.privateKey().toFile()));
        assertThat(WebClient.builder("https://localhost:" + port).factory(withCertificate).build()
                .get("/admin/").aggregate().join().status()).isEqualTo(HttpStatus.OK);

        ClientFactory withoutCertificate = factory(tls -> tls.trustManager(caCertificate.toFile()));
        assertThatThrownBy(() -> WebClient.builder("https://localhost:" + port).factory(withoutCertificate).build()
                .get("/admin/").aggregate().join())
                // Refused during or right after the handshake (TLS 1.3 reports it as a closed session): never served.
                .hasCauseInstanceOf(UnprocessedRequestException.class);
    }

    private int listen(Path clientCa) {
        WebListener listener = WebListener.start(new WebOptions(0, Set.of(), false, server.certificate(),
                server.privateKey(), clientCa), fx.authority.webServices(),
                fx.authority.metrics().rpcs());
        listeners.add(listener);
        return listener.port();
    }

    private ClientFactory factory(Consumer<SslContextBuilder> tls) {
        ClientFactory factory = ClientFactory.builder().tlsCustomizer(tls).build();
        factories.add(factory);
        return factory;
    }
}
