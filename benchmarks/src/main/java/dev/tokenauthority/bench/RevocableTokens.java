package dev.tokenauthority.bench;

import dev.tokenauthority.api.v1.AuthServiceGrpc.AuthServiceBlockingStub;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.TokenPair;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Distinct revocable access tokens for {@link PropagationBenchmark}, cheaply: a few password
 * logins (each costs an Argon2id hash), then refreshes round robin over those sessions, every
 * refresh returning a new access token with a new {@code jti}.
 */
final class RevocableTokens {

    private static final Pattern JTI = Pattern.compile("\"jti\"\\s*:\\s*\"([^\"]+)\"");

    /** An access token and its {@code jti}, the id RevokeToken takes. */
    record Token(String accessToken, String jti) {}

    private RevocableTokens() {
    }

    /** {@code sessions} logins (users round robin), then refreshes round robin over the sessions until {@code count} tokens. */
    static List<Token> mint(AuthServiceBlockingStub auth, String appClient, List<String> users, String password,
            int sessions, int count) {
        List<TokenPair> chains = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            chains.add(auth.withDeadlineAfter(30, TimeUnit.SECONDS).login(LoginRequest.newBuilder().setClientId(appClient)
                    .setUsername(users.get(i % users.size())).setPassword(password).build()));
        }
        List<Token> tokens = new ArrayList<>(count);
        for (int i = 0; tokens.size() < count; i++) {
            int k = i % chains.size();
            TokenPair next = auth.withDeadlineAfter(30, TimeUnit.SECONDS).refresh(RefreshRequest.newBuilder()
                    .setClientId(appClient).setRefreshToken(chains.get(k).getRefreshToken()).build());
            chains.set(k, next);
            tokens.add(new Token(next.getAccessToken(), jti(next.getAccessToken())));
        }
        return tokens;
    }

    /** The {@code jti} claim, read from the JWT payload. */
    static String jti(String jwt) {
        String[] parts = jwt.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        Matcher m = JTI.matcher(payload);
        if (!m.find()) {
            throw new IllegalStateException("access token without a jti");
        }
        return m.group(1);
    }
}
