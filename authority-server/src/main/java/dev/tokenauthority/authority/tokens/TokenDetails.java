package dev.tokenauthority.authority.tokens;

import dev.tokenauthority.authority.audit.AuditEvent;
import dev.tokenauthority.authority.session.Session;
import dev.tokenauthority.authority.storage.AccessTokenDao.AccessTokenRecord;
import java.util.List;

/** Everything an administrator sees about one refresh token (seed 000's detail view, seed 003's fields). */
public record TokenDetails(TokenListItem item, Session session, String tokenHashPrefix,
        AccessTokenRecord latestAccessToken, String latestAccessTokenClaimsJson, List<AuditEvent> auditEvents) {
}
