package dev.tokenauthority.authority.grant;

import java.time.Instant;
import java.util.List;

/** A user's consent for a client to hold tokens with these scopes. */
public record Grant(String id, String userId, String clientId, List<String> scopes, Instant createdAt, Instant updatedAt) {
}
