package dev.tokenauthority.authority.server;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.nio.file.Path;

/** Plaintext, TLS or mTLS for a listener, from PEM files. */
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
}
