package dev.tokenauthority.authority.web;

import com.linecorp.armeria.common.util.InetAddressPredicates;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * How the gRPC-web listener is set up. TLS uses the same files as the gRPC port.
 *
 * @param allowedOrigins cross-origin callers allowed (CORS with credentials, cookie mode); the
 *     listener's own origin (the admin console) is always allowed
 * @param insecureCookiesOnLocalhost dev only: leave Secure off the refresh cookie for requests to
 *     localhost over plain HTTP (and so the {@code __Host-} prefix, which browsers allow only with Secure)
 * @param consoleOrigin the origin browsers load the admin console from when it is not the
 *     listener's own (a reverse proxy that terminates TLS or serves another host name); null when
 *     it is. Cookie mode for the admin clients is open to the console's origin only.
 * @param trustedProxies the reverse proxies (CIDR blocks) whose {@code Forwarded} and
 *     {@code X-Forwarded-For} headers name the caller; empty: every caller is its TCP peer, and
 *     such headers are ignored (a caller could write anything in them)
 */
public record WebOptions(int port, Set<String> allowedOrigins, boolean insecureCookiesOnLocalhost,
        Path tlsCert, Path tlsKey, Path tlsClientCa, String consoleOrigin, Set<String> trustedProxies) {

    public WebOptions {
        allowedOrigins = Set.copyOf(allowedOrigins);
        allowedOrigins.forEach(origin -> requireOrigin("--web-allowed-origin", origin));
        if (consoleOrigin != null) {
            requireOrigin("--web-console-origin", consoleOrigin);
        }
        trustedProxies = Set.copyOf(trustedProxies);
        trustedProxies.forEach(WebOptions::requireCidr);
    }

    /** A listener reached directly, whose console is served from its own origin. */
    public WebOptions(int port, Set<String> allowedOrigins, boolean insecureCookiesOnLocalhost, Path tlsCert,
            Path tlsKey, Path tlsClientCa) {
        this(port, allowedOrigins, insecureCookiesOnLocalhost, tlsCert, tlsKey, tlsClientCa, null, Set.of());
    }

    /** Whether {@code address} is one of the trusted reverse proxies. */
    public Predicate<InetAddress> trustedProxy() {
        Predicate<InetAddress> trusted = address -> false;
        for (String cidr : trustedProxies) {
            trusted = trusted.or(InetAddressPredicates.ofCidr(cidr));
        }
        return trusted;
    }

    private static void requireCidr(String cidr) {
        try {
            InetAddressPredicates.ofCidr(cidr.contains("/") ? cidr : cidr + (cidr.contains(":") ? "/128" : "/32"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--web-trusted-proxy: expected an address or a CIDR block, got " + cidr);
        }
        if (!cidr.contains("/")) {
            throw new IllegalArgumentException("--web-trusted-proxy: write a single proxy as a CIDR block, "
                    + cidr + (cidr.contains(":") ? "/128" : "/32"));
        }
    }

    /** The values of a repeatable, comma-separated flag, stripped. */
    public static Set<String> listed(List<String> values) {
        return values == null ? Set.of() : values.stream().map(String::strip).collect(Collectors.toSet());
    }

    /** An origin is scheme://host[:port] exactly; a wildcard would hand cookie-mode calls to any site. */
    private static void requireOrigin(String flag, String origin) {
        URI uri;
        try {
            uri = URI.create(origin);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": not an origin: " + origin);
        }
        boolean plain = ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                && uri.getHost() != null && !uri.getHost().contains("*")
                && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        if (!plain) {
            throw new IllegalArgumentException(
                    flag + ": expected scheme://host[:port] (no wildcard, no path), got " + origin);
        }
    }
}
