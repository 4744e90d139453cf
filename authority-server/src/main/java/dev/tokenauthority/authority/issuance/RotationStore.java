package dev.tokenauthority.authority.issuance;

import dev.tokenauthority.authority.client.Client;
import dev.tokenauthority.authority.token.RefreshToken;
import dev.tokenauthority.authority.token.Session;
import java.util.List;
import java.util.Optional;

/**
 * The read a refresh starts with: the calling client, the presented token, its session and
 * whether its user may still hold tokens, read together (one round trip on the hot path). The
 * client is read on every refresh rather than cached, so a disabled client, a deleted one or a
 * rotated secret takes effect at once on every replica.
 */
public interface RotationStore {

    /** A presented refresh token with what its rotation is decided on. */
    public record Presented(RefreshToken token, Session session, boolean userActive, List<String> userRoles) {
    }
    /** The calling client (empty if unknown) and the presented token (empty if unknown). */
    public record Lookup(Optional<Client> client, Optional<Presented> presented) {
    }

    Lookup find(String clientId, String tokenId);
}
