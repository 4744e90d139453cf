package dev.tokenauthority.authority.api;

import dev.tokenauthority.api.v1.FeedEvent;
import dev.tokenauthority.api.v1.GlobalWatermark;
import dev.tokenauthority.api.v1.RevocationEntry;
import dev.tokenauthority.api.v1.RevokedSession;
import dev.tokenauthority.api.v1.RevokedToken;
import dev.tokenauthority.api.v1.SigningKeys;
import dev.tokenauthority.api.v1.TokenSuspension;
import dev.tokenauthority.api.v1.UserWatermark;
import dev.tokenauthority.authority.token.RevocationKind;
import dev.tokenauthority.authority.token.RevocationLogStore.LogRow;
import java.time.Duration;

/**
 * Revocation-log rows as feed messages. Every signing-key set carries the authority's maximum
 * access-token lifetime, so a sidecar learns it with the keys (in the snapshot, and with every
 * change of the set) and can refuse a token that claims a longer one.
 */
final class FeedMessages {

    private final long maxAccessTokenLifetimeSeconds;

    FeedMessages(Duration maxAccessTokenLifetime) {
        // Rounded up: exp and iat are whole seconds, so a lifetime with a fraction can span one second more.
        this.maxAccessTokenLifetimeSeconds = maxAccessTokenLifetime.toSeconds()
                + (maxAccessTokenLifetime.toNanosPart() > 0 ? 1 : 0);
    }

    FeedEvent event(LogRow row, long previousSequence) {
        return FeedEvent.newBuilder()
                .setSequence(row.sequence())
                .setEntryId(row.entryId())
                .setPreviousSequence(previousSequence)
                .setRecordedAt(Timestamps.of(row.recordedAt()))
                .setEntry(entry(row))
                .build();
    }

    RevocationEntry signingKeys(String jwksJson) {
        return RevocationEntry.newBuilder().setSigningKeys(keySet(jwksJson)).build();
    }

    private SigningKeys.Builder keySet(String jwksJson) {
        return SigningKeys.newBuilder().setJwksJson(jwksJson)
                .setMaxAccessTokenLifetimeSeconds(maxAccessTokenLifetimeSeconds);
    }

    RevocationEntry entry(LogRow row) {
        RevocationEntry.Builder entry = RevocationEntry.newBuilder();
        switch (RevocationKind.valueOf(row.kind())) {
            case TOKEN -> entry.setRevokedToken(RevokedToken.newBuilder()
                    .setJti(row.subject()).setExpiresAt(Timestamps.of(row.expiresAt())));
            case SESSION -> entry.setRevokedSession(RevokedSession.newBuilder()
                    .setSessionId(row.subject()).setExpiresAt(Timestamps.of(row.expiresAt())));
            case USER_WATERMARK -> entry.setUserWatermark(UserWatermark.newBuilder()
                    .setUserId(row.subject()).setInvalidatedAt(Timestamps.of(row.effectiveAt()))
                    .setExpiresAt(Timestamps.of(row.expiresAt())));
            case GLOBAL_WATERMARK -> entry.setGlobalWatermark(GlobalWatermark.newBuilder()
                    .setInvalidatedAt(Timestamps.of(row.effectiveAt())));
            case SIGNING_KEYS -> entry.setSigningKeys(keySet(row.payload()));
            case SESSION_SUSPENDED, SESSION_RESUMED -> entry.setTokenSuspension(TokenSuspension.newBuilder()
                    .setSessionId(row.subject())
                    .setSuspended(RevocationKind.valueOf(row.kind()) == RevocationKind.SESSION_SUSPENDED)
                    .setExpiresAt(Timestamps.of(row.expiresAt())));
        }
        return entry.build();
    }
}
