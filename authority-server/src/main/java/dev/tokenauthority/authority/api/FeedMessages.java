package dev.tokenauthority.authority.api;

import dev.tokenauthority.api.v1.FeedEvent;
import dev.tokenauthority.api.v1.GlobalWatermark;
import dev.tokenauthority.api.v1.RevocationEntry;
import dev.tokenauthority.api.v1.RevokedSession;
import dev.tokenauthority.api.v1.RevokedToken;
import dev.tokenauthority.api.v1.SigningKeys;
import dev.tokenauthority.api.v1.TokenSuspension;
import dev.tokenauthority.api.v1.UserWatermark;
import dev.tokenauthority.authority.revocation.RevocationKind;
import dev.tokenauthority.authority.storage.RevocationLogDao.LogRow;

/** Revocation-log rows as feed messages. */
final class FeedMessages {

    private FeedMessages() {}

    static FeedEvent event(LogRow row, long previousSequence) {
        return FeedEvent.newBuilder()
                .setSequence(row.sequence())
                .setEntryId(row.entryId())
                .setPreviousSequence(previousSequence)
                .setRecordedAt(Timestamps.of(row.recordedAt()))
                .setEntry(entry(row))
                .build();
    }

    static RevocationEntry signingKeys(String jwksJson) {
        return RevocationEntry.newBuilder().setSigningKeys(SigningKeys.newBuilder().setJwksJson(jwksJson)).build();
    }

    static RevocationEntry entry(LogRow row) {
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
            case SIGNING_KEYS -> entry.setSigningKeys(SigningKeys.newBuilder().setJwksJson(row.payload()));
            case SESSION_SUSPENDED, SESSION_RESUMED -> entry.setTokenSuspension(TokenSuspension.newBuilder()
                    .setSessionId(row.subject())
                    .setSuspended(RevocationKind.valueOf(row.kind()) == RevocationKind.SESSION_SUSPENDED)
                    .setExpiresAt(Timestamps.of(row.expiresAt())));
        }
        return entry.build();
    }
}
