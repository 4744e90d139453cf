package dev.tokenauthority.authority.tokens;

import dev.tokenauthority.authority.audit.AuditEvent;
import dev.tokenauthority.authority.token.AccessTokenStore.AccessTokenRecord;
import dev.tokenauthority.authority.token.Session;
import java.util.List;

/** Everything an administrator sees about one refresh token: the details view, with its session and audit history. */
public record TokenDetails(TokenListItem item, Session session, String tokenHashPrefix,
        AccessTokenRecord latestAccessToken, String latestAccessTokenClaimsJson, List<AuditEvent> auditEvents) {
}
