package dev.tokenauthority.cli;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.nio.file.Path;

/** Plaintext, TLS or mTLS for a listener or a client channel, from PEM files. */
public final class ListenerCredentials {

    private ListenerCredentials() {}

    /**
     * @param certChain PEM certificate chain, or null for plaintext
     * @param privateKey PEM PKCS#8 private key of the chain's leaf
     * @param clientCa PEM CA bundle; when set, every client must present a certificate it signed
     */
    public static ServerCredentials of(Path certChain, Path privateKey, Path clientCa) throws IOException {
        if (certChain == null) {
            return InsecureServerCredentials.create();
        }
        TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder()
                .keyManager(certChain.toFile(), privateKey.toFile());
        if (clientCa != null) {
            tls.trustManager(clientCa.toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
        }
        return tls.build();
    }

    /**
     * Credentials for a client channel: plaintext without a CA; TLS trusting {@code ca} (or the
     * system roots when only a client certificate is given); mTLS when a certificate and key are given.
     */
    public static ChannelCredentials client(boolean tls, Path ca, Path certChain, Path privateKey) throws IOException {
        if (!tls && ca == null && certChain == null) {
            return InsecureChannelCredentials.create();
        }
        TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
        if (ca != null) {
            builder.trustManager(ca.toFile());
        }
        if (certChain != null) {
            builder.keyManager(certChain.toFile(), privateKey.toFile());
        }
        return builder.build();
    }
}
