package dev.tokenauthority.bench;

import dev.tokenauthority.api.v1.IntrospectRequest;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.TokenPair;
import java.util.List;

/**
 * The requests {@link AuthorityLoad}'s clients send: logins round robin over {@code users} as the
 * public client, refreshes of a client's own chain, and introspection by the confidential client.
 */
record AuthorityRequests(String appClient, String introspectClient, String introspectSecret, List<String> users,
        String password) {

    /** Client {@code index} logs in as user {@code index} modulo the number of users. */
    LoginRequest login(int index) {
        return LoginRequest.newBuilder()
                .setClientId(appClient)
                .setUsername(users.get(index % users.size()))
                .setPassword(password)
                .build();
    }

    RefreshRequest refresh(TokenPair pair) {
        return RefreshRequest.newBuilder()
                .setClientId(appClient)
                .setRefreshToken(pair.getRefreshToken())
                .build();
    }

    IntrospectRequest introspect(TokenPair pair) {
        return IntrospectRequest.newBuilder()
                .setClientId(introspectClient)
                .setClientSecret(introspectSecret)
                .setToken(pair.getAccessToken())
                .setTokenTypeHint("access_token")
                .build();
    }
}
