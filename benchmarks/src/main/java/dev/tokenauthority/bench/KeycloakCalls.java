package dev.tokenauthority.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Keycloak calls {@link PeerBenchmark} makes, over its HTTP API on loopback: OpenID Connect
 * password and refresh-token grants and token introspection as one confidential client, and the
 * admin API's user lookup and force logout. One {@link HttpClient} (HTTP/1.1, a connection per
 * call in flight) is shared by every load client.
 */
final class KeycloakCalls {

    /** The two tokens of a grant's answer. */
    record Tokens(String accessToken, String refreshToken) {}

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CALL_TIMEOUT).build();
    private final String baseUrl;
    private final String realm;
    private final String clientId;
    private final String clientSecret;

    KeycloakCalls(String baseUrl, String realm, String clientId, String clientSecret) {
        this.baseUrl = baseUrl;
        this.realm = realm;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
    }

    Tokens passwordGrant(String username, String password) throws IOException, InterruptedException {
        return tokens(form(oidc("token"), Map.of("grant_type", "password", "client_id", clientId,
                "client_secret", clientSecret, "username", username, "password", password)));
    }

    /** A refresh with rotation: the answer carries the successor; the presented token is spent. */
    Tokens refresh(String refreshToken) throws IOException, InterruptedException {
        return tokens(form(oidc("token"), Map.of("grant_type", "refresh_token", "client_id", clientId,
                "client_secret", clientSecret, "refresh_token", refreshToken)));
    }

    /** RFC 7662 introspection by the same confidential client; true if the token is active. */
    boolean introspect(String accessToken) throws IOException, InterruptedException {
        HttpResponse<String> r = form(oidc("token/introspect"), Map.of("client_id", clientId,
                "client_secret", clientSecret, "token", accessToken, "token_type_hint", "access_token"));
        return r.statusCode() == 200 && JsonParser.parseString(r.body()).getAsJsonObject().get("active").getAsBoolean();
    }

    /** An admin API access token: password grant of {@code admin-cli} in the master realm. */
    String adminToken(String adminUser, String adminPassword) throws IOException, InterruptedException {
        HttpResponse<String> r = form(URI.create(baseUrl + "/realms/master/protocol/openid-connect/token"),
                Map.of("grant_type", "password", "client_id", "admin-cli", "username", adminUser,
                        "password", adminPassword));
        return json(r, 200).get("access_token").getAsString();
    }

    String userId(String adminToken, String username) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/admin/realms/" + realm
                        + "/users?exact=true&username=" + encode(username))).timeout(CALL_TIMEOUT)
                .header("Authorization", "Bearer " + adminToken).GET().build(), HttpResponse.BodyHandlers.ofString());
        expect(r, 200);
        JsonArray users = JsonParser.parseString(r.body()).getAsJsonArray();
        if (users.size() != 1) {
            throw new IllegalStateException("expected one user " + username + ", found " + users.size());
        }
        return users.get(0).getAsJsonObject().get("id").getAsString();
    }

    /** The admin API's force logout: ends every session of the user. */
    void logout(String adminToken, String userId, Duration timeout) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/admin/realms/" + realm
                        + "/users/" + userId + "/logout")).timeout(timeout)
                .header("Authorization", "Bearer " + adminToken).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        expect(r, 204);
    }

    private URI oidc(String endpoint) {
        return URI.create(baseUrl + "/realms/" + realm + "/protocol/openid-connect/" + endpoint);
    }

    private HttpResponse<String> form(URI uri, Map<String, String> fields) throws IOException, InterruptedException {
        String body = new LinkedHashMap<>(fields).entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(uri).timeout(CALL_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Tokens tokens(HttpResponse<String> r) {
        JsonObject o = json(r, 200);
        return new Tokens(o.get("access_token").getAsString(), o.get("refresh_token").getAsString());
    }

    private static JsonObject json(HttpResponse<String> r, int status) {
        expect(r, status);
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    private static void expect(HttpResponse<String> r, int status) {
        if (r.statusCode() != status) {
            throw new IllegalStateException(r.request().method() + " " + r.uri().getPath() + ": HTTP " + r.statusCode()
                    + " " + r.body().substring(0, Math.min(200, r.body().length())));
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
