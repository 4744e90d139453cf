package dev.tokenauthority.authority.api;

import static dev.tokenauthority.authority.api.AdminMessages.nullToEmpty;
import static dev.tokenauthority.authority.api.RequestFields.optional;
import static dev.tokenauthority.authority.api.RequestFields.required;

import dev.tokenauthority.api.v1.ListMySessionsRequest;
import dev.tokenauthority.api.v1.ListMySessionsResponse;
import dev.tokenauthority.api.v1.MySession;
import dev.tokenauthority.api.v1.RevokeMyOtherSessionsResponse;
import dev.tokenauthority.api.v1.RevokeMySessionRequest;
import dev.tokenauthority.api.v1.RevokeMySessionResponse;
import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.revocation.RevocationResult;
import dev.tokenauthority.authority.session.MySessions;
import dev.tokenauthority.authority.session.SessionOwner;
import dev.tokenauthority.authority.token.Session;
import dev.tokenauthority.authority.verification.SessionOwnerAuthenticator;
import java.util.function.Function;

/**
 * AuthService's self-service session calls (ListMySessions, RevokeMySession, RevokeMyOtherSessions):
 * authenticate the user by their bearer access token, then call {@link MySessions}. Bound by
 * {@link AuthGrpcService}, whose other calls need no bearer.
 */
final class MySessionRpcs {

    /** Session ids are "ses_" and a URL-safe random part; anything else cannot name a session. */
    private static final int MAX_SESSION_ID_LENGTH = 128;

    private final SessionOwnerAuthenticator owners;
    private final MySessions sessions;

    MySessionRpcs(SessionOwnerAuthenticator owners, MySessions sessions) {
        this.owners = owners;
        this.sessions = sessions;
    }

    ListMySessionsResponse list(ListMySessionsRequest request) {
        return asOwner(owner -> {
            MySessions.Page page = sessions.list(owner, request.getPageSize(),
                    optional("page_token", request.getPageToken()));
            ListMySessionsResponse.Builder response = ListMySessionsResponse.newBuilder()
                    .setUserEmail(page.userEmail())
                    .setNextPageToken(page.nextPageToken() == null ? "" : page.nextPageToken())
                    .setTotalSize(page.totalSize());
            page.items().forEach(item -> response.addSessions(toMessage(item)));
            return response.build();
        });
    }

    RevokeMySessionResponse revoke(RevokeMySessionRequest request) {
        String sessionId = sessionId(request.getSessionId());
        return asOwner(owner -> {
            MySessions.Ended ended = sessions.revoke(owner, sessionId, GrpcCalls.context());
            return RevokeMySessionResponse.newBuilder()
                    .setAlreadyRevoked(ended.alreadyRevoked())
                    .setWasCurrent(ended.wasCurrent())
                    .setFeedSequence(ended.feedSequence())
                    .build();
        });
    }

    RevokeMyOtherSessionsResponse revokeOthers() {
        return asOwner(owner -> {
            RevocationResult result = sessions.revokeOthers(owner, GrpcCalls.context());
            return RevokeMyOtherSessionsResponse.newBuilder()
                    .setRevokedSessions(result.revokedSessions())
                    .setFeedSequence(result.feedSequence())
                    .build();
        });
    }

    private <T> T asOwner(Function<SessionOwner, T> call) {
        return call.apply(owners.authenticate(GrpcCalls.authorization()));
    }

    /** Checked before the caller is: a malformed id is the request's fault whoever sends it. */
    private static String sessionId(String value) {
        String id = required("session_id", value);
        if (id.length() > MAX_SESSION_ID_LENGTH || !id.startsWith(Session.ID_PREFIX)
                || !id.chars().allMatch(c -> c == '_' || c == '-' || Character.isLetterOrDigit(c) && c < 0x80)) {
            throw AuthorityException.invalidArgument("session_id",
                    "is not a session id (" + Session.ID_PREFIX + "...)");
        }
        return id;
    }

    private static MySession toMessage(MySessions.Item item) {
        Session s = item.session();
        return MySession.newBuilder()
                .setSessionId(s.id())
                .setClientId(s.clientId())
                .setClientName(item.clientName())
                .setDeviceId(nullToEmpty(s.deviceId()))
                .setDeviceName(nullToEmpty(s.deviceName()))
                .setUserAgent(nullToEmpty(s.userAgent()))
                .setIp(nullToEmpty(s.ip()))
                .setLoginAt(Timestamps.of(s.createdAt()))
                .setLastSeenAt(Timestamps.of(s.lastSeenAt()))
                .setCurrent(item.current())
                .build();
    }
}
