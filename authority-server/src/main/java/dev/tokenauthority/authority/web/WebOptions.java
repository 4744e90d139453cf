package dev.tokenauthority.authority.web;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How the gRPC-web listener is set up. TLS uses the same files as the gRPC port.
 *
 * @param allowedOrigins cross-origin callers allowed (CORS with credentials, cookie mode); the
 *     listener's own origin (the admin console) is always allowed
 * @param insecureCookiesOnLocalhost dev only: leave Secure off the refresh cookie for requests to
 *     localhost over plain HTTP (and so the {@code __Host-} prefix, which browsers allow only with Secure)
 */
public record WebOptions(int port, Set<String> allowedOrigins, boolean insecureCookiesOnLocalhost,
        Path tlsCert, Path tlsKey, Path tlsClientCa) {

    public WebOptions {
        allowedOrigins = Set.copyOf(allowedOrigins);
        allowedOrigins.forEach(WebOptions::requireOrigin);
    }

    public static Set<String> origins(List<String> values) {
        return values == null ? Set.of() : values.stream().map(String::strip).collect(Collectors.toSet());
    }

    /** An origin is scheme://host[:port] exactly; a wildcard would hand cookie-mode calls to any site. */
    private static void requireOrigin(String origin) {
        URI uri;
        try {
            uri = URI.create(origin);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--web-allowed-origin: not an origin: " + origin);
        }
        boolean plain = ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                && uri.getHost() != null && !uri.getHost().contains("*")
                && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        if (!plain) {
            throw new IllegalArgumentException(
                    "--web-allowed-origin: expected scheme://host[:port] (no wildcard, no path), got " + origin);
        }
    }
}
