package dev.tokenauthority.authority.web;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.JsonStrings;
import dev.tokenauthority.authority.keys.KeySetFreshness;
import dev.tokenauthority.authority.keys.SigningKeys;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a relying party needs to verify our access tokens from the issuer URL alone: the authorization-server
 * metadata (RFC 8414, also at OpenID Connect discovery's path) and the JWK set it points to, the same set GetJwks
 * returns.
 *
 * <p>The JWK set's {@code Cache-Control: max-age} is the shorter of {@link #JWKS_MAX_AGE} and the time until the
 * first retired key's publication window ends, so a cache never holds a key past the moment the authority withdraws
 * it, and holds a key an admin revoked for at most {@link #JWKS_MAX_AGE}. A new key needs no such bound: a verifier
 * that meets an unknown kid fetches the set again.
 */
final class WellKnownDocuments {

    static final String JWKS_PATH = "/.well-known/jwks.json";
    static final String OPENID_CONFIGURATION_PATH = "/.well-known/openid-configuration";
    static final String OAUTH_METADATA_PATH = "/.well-known/oauth-authorization-server";
    /** The longest any cache may keep the JWK set: how long a revoked signing key may still be trusted by one. */
    static final Duration JWKS_MAX_AGE = Duration.ofMinutes(5);
    /** The metadata changes only when the authority restarts with another --issuer. */
    private static final Duration METADATA_MAX_AGE = Duration.ofHours(1);

    private final SigningKeys keys;
    private final KeySetFreshness freshness;
    private final String metadataJson;
    private final String issuerPath;

    WellKnownDocuments(SigningKeys keys, KeySetFreshness freshness, String issuer) {
        this.keys = keys;
        this.freshness = freshness;
        this.metadataJson = metadataJson(issuer);
        this.issuerPath = issuerPath(issuer);
    }

    /** The issuer's path without a trailing slash, "/tenant-a" for https://auth.example/tenant-a/; "" for none. */
    static String issuerPath(String issuer) {
        String path = URI.create(issuer).getRawPath();
        if (path == null) {
            return "";
        }
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /**
     * Where the metadata is served. At the root, as before; for an issuer with a path, also where relying parties look
     * for it: RFC 8414 section 3 inserts the well-known suffix between the host and the issuer's path
     * ({@code /.well-known/oauth-authorization-server/tenant-a}), OpenID Connect Discovery 1.0 section 4 appends it to
     * the issuer ({@code /tenant-a/.well-known/openid-configuration}).
     */
    List<String> metadataPaths() {
        Set<String> paths = new LinkedHashSet<>(List.of(OPENID_CONFIGURATION_PATH, OAUTH_METADATA_PATH,
                OAUTH_METADATA_PATH + issuerPath, issuerPath + OPENID_CONFIGURATION_PATH));
        return List.copyOf(paths);
    }

    /** Where the JWK set is served: the root's path, and {@code jwks_uri}'s, under the issuer's path. */
    List<String> jwksPaths() {
        return List.copyOf(new LinkedHashSet<>(List.of(JWKS_PATH, issuerPath + JWKS_PATH)));
    }

    /**
     * Only what is true of this authority: its issuer and JWK set. It has no HTTP authorization or token endpoint
     * (tokens are issued over gRPC) and issues no ID tokens, so the members about those are left out rather than
     * filled with what a client could not use.
     */
    static String metadataJson(String issuer) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        return "{\"issuer\":" + JsonStrings.quote(issuer) + ",\"jwks_uri\":" + JsonStrings.quote(base + JWKS_PATH) + "}";
    }

    HttpService metadata() {
        return (ctx, req) -> json(metadataJson, METADATA_MAX_AGE);
    }

    HttpService jwks() {
        return (ctx, req) -> {
            try {
                freshness.requireFresh();
            } catch (AuthorityException stale) {
                return HttpResponse.of(ResponseHeaders.builder(HttpStatus.SERVICE_UNAVAILABLE)
                        .set(HttpHeaderNames.RETRY_AFTER, "5").build(),
                        HttpData.ofUtf8(stale.getMessage() + "\n"));
            }
            return json(keys.jwksJson(), jwksMaxAge());
        };
    }

    Duration jwksMaxAge() {
        return keys.untilNextScheduledWithdrawal()
                .filter(untilWithdrawal -> untilWithdrawal.compareTo(JWKS_MAX_AGE) < 0)
                .orElse(JWKS_MAX_AGE);
    }

    private static HttpResponse json(String body, Duration maxAge) {
        ResponseHeaders headers = ResponseHeaders.builder(HttpStatus.OK)
                .contentType(MediaType.JSON_UTF_8)
                .set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=" + maxAge.toSeconds())
                // Public documents, read without credentials: a relying party running in a browser may fetch them.
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
                .build();
        return HttpResponse.of(headers, HttpData.ofUtf8(body));
    }
}
