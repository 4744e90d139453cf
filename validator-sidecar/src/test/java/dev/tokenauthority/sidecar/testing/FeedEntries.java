package dev.tokenauthority.sidecar.testing;

import com.google.protobuf.Timestamp;
import dev.tokenauthority.api.v1.FeedEvent;
import dev.tokenauthority.api.v1.GlobalWatermark;
import dev.tokenauthority.api.v1.RevocationEntry;
import dev.tokenauthority.api.v1.RevokedSession;
import dev.tokenauthority.api.v1.RevokedToken;
import dev.tokenauthority.api.v1.SigningKeys;
import dev.tokenauthority.api.v1.TokenSuspension;
import dev.tokenauthority.api.v1.UserWatermark;
import dev.tokenauthority.sidecar.state.InMemoryRevocationState;
import java.time.Duration;
import java.time.Instant;

/** Builds feed entries from the generated proto classes, and applies them as numbered events. */
public final class FeedEntries {

    private final InMemoryRevocationState state;
    private long sequence;

    /** Applies entries to {@code state} as events numbered after its applied sequence. */
    public FeedEntries(InMemoryRevocationState state) {
        this.state = state;
        this.sequence = state.appliedSequence();
    }

    public void apply(RevocationEntry entry) {
        sequence = Math.max(sequence, state.appliedSequence()) + 1;
        state.apply(FeedEvent.newBuilder().setSequence(sequence).setEntry(entry).build());
    }

    public static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    public static RevocationEntry revokedToken(String jti, Instant expiresAt) {
        return RevocationEntry.newBuilder()
                .setRevokedToken(RevokedToken.newBuilder().setJti(jti).setExpiresAt(timestamp(expiresAt)))
                .build();
    }

    public static RevocationEntry revokedSession(String sessionId, Instant expiresAt) {
        return RevocationEntry.newBuilder()
                .setRevokedSession(RevokedSession.newBuilder().setSessionId(sessionId)
                        .setExpiresAt(timestamp(expiresAt)))
                .build();
    }

    public static RevocationEntry suspension(String sessionId, boolean suspended, Instant expiresAt) {
        return RevocationEntry.newBuilder()
                .setTokenSuspension(TokenSuspension.newBuilder().setSessionId(sessionId).setSuspended(suspended)
                        .setExpiresAt(timestamp(expiresAt)))
                .build();
    }

    public static RevocationEntry userWatermark(String userId, Instant invalidatedAt, Instant expiresAt) {
        return RevocationEntry.newBuilder()
                .setUserWatermark(UserWatermark.newBuilder().setUserId(userId)
                        .setInvalidatedAt(timestamp(invalidatedAt)).setExpiresAt(timestamp(expiresAt)))
                .build();
    }

    public static RevocationEntry globalWatermark(Instant invalidatedAt) {
        return RevocationEntry.newBuilder()
                .setGlobalWatermark(GlobalWatermark.newBuilder().setInvalidatedAt(timestamp(invalidatedAt)))
                .build();
    }

    public static RevocationEntry signingKeys(String jwksJson) {
        return RevocationEntry.newBuilder()
                .setSigningKeys(SigningKeys.newBuilder().setJwksJson(jwksJson))
                .build();
    }

    /** A key set published with the authority's maximum access-token lifetime. */
    public static RevocationEntry signingKeys(String jwksJson, Duration maxAccessTokenLifetime) {
        return RevocationEntry.newBuilder()
                .setSigningKeys(SigningKeys.newBuilder().setJwksJson(jwksJson)
                        .setMaxAccessTokenLifetimeSeconds(maxAccessTokenLifetime.toSeconds()))
                .build();
    }
}
