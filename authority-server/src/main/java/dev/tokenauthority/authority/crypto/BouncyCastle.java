package dev.tokenauthority.authority.crypto;

import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.jose4j.jca.ProviderContext;

/**
 * Bouncy Castle as the JCA provider for EdDSA signatures: it signs and verifies Ed25519 several
 * times faster than the JDK's SunEC on this JVM (docs/signing-algorithm.md). Keys must be BC
 * keys too: a JDK key is converted on every signature. BC's keys implement the JDK's EdEC
 * interfaces (which jose4j requires) only from its Java 15 classes, so shaded jars must keep
 * {@code Multi-Release: true}.
 */
public final class BouncyCastle {

    static {
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
    }

    /** jose4j provider settings that route signature operations to Bouncy Castle. */
    public static final ProviderContext SIGNATURE_PROVIDER_CONTEXT = providerContext();

    /**
     * The provider name for getInstance calls. Not a compile-time constant on purpose: reading it
     * must initialise this class, which registers the provider.
     */
    public static final String PROVIDER = String.valueOf(BouncyCastleProvider.PROVIDER_NAME);

    private BouncyCastle() {}

    private static ProviderContext providerContext() {
        ProviderContext context = new ProviderContext();
        context.getSuppliedKeyProviderContext().setSignatureProvider(BouncyCastleProvider.PROVIDER_NAME);
        context.getGeneralProviderContext().setSignatureProvider(BouncyCastleProvider.PROVIDER_NAME);
        return context;
    }
}
