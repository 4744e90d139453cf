package dev.tokenauthority.authority.verification;

import java.util.List;

/** An RFC 7662 answer. Only {@code active} is meaningful when the token is not active. */
public record Introspection(boolean active, String tokenType, String scope, String clientId, String username,
        String subject, List<String> audience, String issuer, String jti, String sessionId, long exp, long iat) {

    public static final Introspection INACTIVE =
            new Introspection(false, null, null, null, null, null, List.of(), null, null, null, 0, 0);
}
