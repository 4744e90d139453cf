package dev.tokenauthority.authority.issuance;

import dev.tokenauthority.authority.client.Client;
import dev.tokenauthority.authority.token.RefreshToken;
import dev.tokenauthority.authority.token.Session;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The read a refresh starts with: the calling client, the presented token, its session and
 * whether its user may still hold tokens, read together (one round trip on the hot path). The
 * client is read on every refresh rather than cached, so a disabled client, a deleted one or a
 * rotated secret takes effect at once on every replica.
 */
public interface RotationStore {

    /**
     * A presented refresh token with what its rotation is decided on; {@code userWatermark} is the
     * user's token_invalidated_at (null if never set).
     */
    public record Presented(RefreshToken token, Session session, boolean userActive, List<String> userRoles,
            Instant userWatermark) {

        /**
         * Whether a force logout after the session began killed it: its rows follow the force
         * logout's commit, so until they do the session and token still read as active.
         */
        public boolean forceLoggedOut() {
            return userWatermark != null && !session.createdAt().isAfter(userWatermark);
        }
    }
    /** The calling client (empty if unknown) and the presented token (empty if unknown). */
    public record Lookup(Optional<Client> client, Optional<Presented> presented) {
    }

    Lookup find(String clientId, String tokenId);
}
