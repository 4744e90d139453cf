package dev.tokenauthority.authority.api;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import dev.tokenauthority.api.v1.AuditEvent;
import dev.tokenauthority.api.v1.SessionInfo;
import dev.tokenauthority.api.v1.Token;
import dev.tokenauthority.api.v1.TokenFilter;
import dev.tokenauthority.api.v1.TokenStatus;
import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.session.SessionItem;
import dev.tokenauthority.authority.token.RefreshTokenStatus;
import dev.tokenauthority.authority.token.Session;
import dev.tokenauthority.authority.tokens.TokenAdministration;
import dev.tokenauthority.authority.tokens.TokenListItem;
import dev.tokenauthority.authority.tokens.TokenQuery;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Conversions between admin API messages and domain records, with the field checks they need. */
final class AdminMessages {

    /** The most tags a token may carry. */
    private static final int MAX_TAGS = 32;

    private AdminMessages() {}

    static TokenQuery tokenQuery(TokenFilter f) {
        return tokenQuery(f.getQuery(), f.getStatusesList(), f.getUserId(), f.getClientId(), f.getSessionId(),
                f.hasIssuedAfter() ? f.getIssuedAfter() : null, f.hasIssuedBefore() ? f.getIssuedBefore() : null,
                f.hasLastUsedAfter() ? f.getLastUsedAfter() : null, f.hasLastUsedBefore() ? f.getLastUsedBefore() : null,
                f.hasExpiresAfter() ? f.getExpiresAfter() : null, f.hasExpiresBefore() ? f.getExpiresBefore() : null);
    }

    static TokenQuery tokenQuery(String text, List<TokenStatus> statuses, String userId, String clientId,
            String sessionId, Timestamp issuedAfter, Timestamp issuedBefore, Timestamp lastUsedAfter,
            Timestamp lastUsedBefore, Timestamp expiresAfter, Timestamp expiresBefore) {
        return new TokenQuery(emptyToNull(RequestFields.optional("query", text)), statuses(statuses),
                emptyToNull(RequestFields.optional("user_id", userId)),
                emptyToNull(RequestFields.optional("client_id", clientId)),
                emptyToNull(RequestFields.optional("session_id", sessionId)),
                range("issued_after", issuedAfter, issuedBefore),
                range("last_used_after", lastUsedAfter, lastUsedBefore),
                range("expires_after", expiresAfter, expiresBefore));
    }

    private static Set<RefreshTokenStatus> statuses(List<TokenStatus> statuses) {
        Set<RefreshTokenStatus> result = EnumSet.noneOf(RefreshTokenStatus.class);
        for (TokenStatus status : statuses) {
            if (status == TokenStatus.TOKEN_STATUS_UNSPECIFIED || status == TokenStatus.UNRECOGNIZED) {
                throw AuthorityException.invalidArgument("statuses", "unknown token status");
            }
            result.add(RefreshTokenStatus.valueOf(status.name().substring("TOKEN_STATUS_".length())));
        }
        return result;
    }

    private static TokenQuery.Range range(String afterField, Timestamp after, Timestamp before) {
        Instant from = after == null ? null : instant(after);
        Instant to = before == null ? null : instant(before);
        requireRange(afterField, from, to);
        return new TokenQuery.Range(from, to);
    }

    static void requireRange(String afterField, Instant after, Instant before) {
        if (after != null && before != null && !after.isBefore(before)) {
            throw AuthorityException.invalidArgument(afterField, "must be before the matching _before bound");
        }
    }

    static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    static TokenAdministration.TokenChanges tokenChanges(Token token, FieldMask mask) {
        if (mask.getPathsCount() == 0) {
            throw AuthorityException.invalidArgument("update_mask", "name the fields to change: expires_at, note, tags");
        }
        Instant expiresAt = null;
        String note = null;
        List<String> tags = null;
        for (String path : mask.getPathsList()) {
            switch (path) {
                case "expires_at" -> {
                    if (!token.hasExpiresAt()) {
                        throw AuthorityException.invalidArgument("token.expires_at", "is required by the update mask");
                    }
                    expiresAt = instant(token.getExpiresAt());
                }
                case "note" -> note = RequestFields.optional("token.note", token.getNote());
                case "tags" -> {
                    if (token.getTagsCount() > MAX_TAGS) {
                        throw AuthorityException.invalidArgument("token.tags", "at most " + MAX_TAGS + " tags");
                    }
                    tags = RequestFields.names("token.tags", token.getTagsList());
                }
                default -> throw AuthorityException.invalidArgument("update_mask",
                        "unknown path '" + path + "'; updatable: expires_at, note, tags");
            }
        }
        return new TokenAdministration.TokenChanges(expiresAt, note, tags);
    }

    static Token token(TokenListItem item, Instant now) {
        var t = item.token();
        Token.Builder token = Token.newBuilder()
                .setTokenId(t.id())
                .setUserId(t.userId())
                .setUserEmail(item.userEmail())
                .setClientId(t.clientId())
                .setSessionId(t.sessionId())
                .setIssuedAt(Timestamps.of(t.issuedAt()))
                .setExpiresAt(Timestamps.of(t.expiresAt()))
                .setStatus(TokenStatus.valueOf("TOKEN_STATUS_" + item.statusAt(now).name()))
                .addAllTags(t.tags());
        if (t.lastUsedAt() != null) {
            token.setLastUsedAt(Timestamps.of(t.lastUsedAt()));
        }
        if (t.note() != null) {
            token.setNote(t.note());
        }
        return token.build();
    }

    static SessionInfo sessionInfo(Session s) {
        return SessionInfo.newBuilder()
                .setSessionId(s.id())
                .setLoginAt(Timestamps.of(s.createdAt()))
                .setLastSeenAt(Timestamps.of(s.lastSeenAt()))
                .setExpiresAt(Timestamps.of(s.expiresAt()))
                .setIp(nullToEmpty(s.ip()))
                .setUserAgent(nullToEmpty(s.userAgent()))
                .setDeviceId(nullToEmpty(s.deviceId()))
                .setDeviceName(nullToEmpty(s.deviceName()))
                .setStatus(s.status().name())
                .build();
    }

    static dev.tokenauthority.api.v1.Session session(SessionItem item) {
        Session s = item.session();
        var session = dev.tokenauthority.api.v1.Session.newBuilder()
                .setSessionId(s.id())
                .setUserId(s.userId())
                .setUserEmail(item.userEmail())
                .setClientId(s.clientId())
                .setLoginAt(Timestamps.of(s.createdAt()))
                .setLastSeenAt(Timestamps.of(s.lastSeenAt()))
                .setExpiresAt(Timestamps.of(s.expiresAt()))
                .setIp(nullToEmpty(s.ip()))
                .setUserAgent(nullToEmpty(s.userAgent()))
                .setDeviceId(nullToEmpty(s.deviceId()))
                .setDeviceName(nullToEmpty(s.deviceName()))
                .setStatus(item.status().name());
        if (item.refreshExpiresAt() != null) {
            session.setRefreshExpiresAt(Timestamps.of(item.refreshExpiresAt()));
        }
        return session.build();
    }

    static AuditEvent auditEvent(dev.tokenauthority.authority.audit.AuditEvent e) {
        return AuditEvent.newBuilder()
                .setId(e.id())
                .setOccurredAt(Timestamps.of(e.occurredAt()))
                .setActorType(e.actor().type().name())
                .setActorId(nullToEmpty(e.actor().id()))
                .setActorEmail(nullToEmpty(e.actor().email()))
                .setAction(e.action())
                .setTargetType(nullToEmpty(e.targetType()))
                .setTargetId(nullToEmpty(e.targetId()))
                .setReason(nullToEmpty(e.reason()))
                .setDetailsJson(nullToEmpty(e.details()))
                .setCallerIp(nullToEmpty(e.callerIp()))
                .setTargetEmail(nullToEmpty(e.targetEmail()))
                .build();
    }

    static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }
}
