package dev.tokenauthority.authority.api;

import static dev.tokenauthority.authority.api.RequestFields.device;
import static dev.tokenauthority.authority.api.RequestFields.names;
import static dev.tokenauthority.authority.api.RequestFields.optional;
import static dev.tokenauthority.authority.api.RequestFields.required;

import dev.tokenauthority.api.v1.AuthServiceGrpc;
import dev.tokenauthority.api.v1.IntrospectRequest;
import dev.tokenauthority.api.v1.IntrospectResponse;
import dev.tokenauthority.api.v1.IssueTokensRequest;
import dev.tokenauthority.api.v1.ListMySessionsRequest;
import dev.tokenauthority.api.v1.ListMySessionsResponse;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.LogoutRequest;
import dev.tokenauthority.api.v1.LogoutResponse;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.RevokeMyOtherSessionsRequest;
import dev.tokenauthority.api.v1.RevokeMyOtherSessionsResponse;
import dev.tokenauthority.api.v1.RevokeMySessionRequest;
import dev.tokenauthority.api.v1.RevokeMySessionResponse;
import dev.tokenauthority.api.v1.RevokeRequest;
import dev.tokenauthority.api.v1.RevokeResponse;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.issuance.IssuedTokens;
import dev.tokenauthority.authority.issuance.RefreshTokenRotation;
import dev.tokenauthority.authority.issuance.TrustedIssuance;
import dev.tokenauthority.authority.login.PasswordLogin;
import dev.tokenauthority.authority.session.Logout;
import dev.tokenauthority.authority.session.MySessions;
import dev.tokenauthority.authority.verification.ClientTokenRevocation;
import dev.tokenauthority.authority.verification.Introspection;
import dev.tokenauthority.authority.verification.SessionOwnerAuthenticator;
import dev.tokenauthority.authority.verification.TokenIntrospection;
import io.grpc.stub.StreamObserver;

/**
 * AuthService over gRPC: validates fields, calls one domain class, maps the result. The self-service
 * session calls, the only ones here that take a bearer token, are {@link MySessionRpcs}.
 */
public final class AuthGrpcService extends AuthServiceGrpc.AuthServiceImplBase {

    private final PasswordLogin login;
    private final RefreshTokenRotation rotation;
    private final Logout logout;
    private final ClientTokenRevocation revocation;
    private final TokenIntrospection introspection;
    private final TrustedIssuance trustedIssuance;
    private final MySessionRpcs mySessions;

    public AuthGrpcService(PasswordLogin login, RefreshTokenRotation rotation, Logout logout,
            ClientTokenRevocation revocation, TokenIntrospection introspection, TrustedIssuance trustedIssuance,
            SessionOwnerAuthenticator owners, MySessions mySessions) {
        this.login = login;
        this.rotation = rotation;
        this.logout = logout;
        this.revocation = revocation;
        this.introspection = introspection;
        this.trustedIssuance = trustedIssuance;
        this.mySessions = new MySessionRpcs(owners, mySessions);
    }

    @Override
    public void login(LoginRequest request, StreamObserver<TokenPair> observer) {
        GrpcCalls.unary(observer, () -> {
            String clientId = required("client_id", request.getClientId());
            BrowserCall browser = cookieMode(request.getCookieMode(), clientId);
            return respond(browser, login.login(
                    clientId,
                    optional("client_secret", request.getClientSecret()),
                    required("username", request.getUsername()),
                    required("password", request.getPassword()),
                    names("scopes", request.getScopesList()),
                    optional("audience", request.getAudience()),
                    device(request.getDevice()),
                    GrpcCalls.context()));
        });
    }

    @Override
    public void refresh(RefreshRequest request, StreamObserver<TokenPair> observer) {
        GrpcCalls.unary(observer, () -> {
            String clientId = required("client_id", request.getClientId());
            BrowserCall browser = cookieMode(request.getCookieMode(), clientId);
            return respond(browser, rotation.rotate(
                    clientId,
                    optional("client_secret", request.getClientSecret()),
                    refreshToken(browser, request.getRefreshToken()),
                    GrpcCalls.context()));
        });
    }

    @Override
    public void logout(LogoutRequest request, StreamObserver<LogoutResponse> observer) {
        GrpcCalls.unary(observer, () -> {
            BrowserCall browser = cookieMode(request.getCookieMode());
            if (browser != null) {
                // Cleared whatever the logout's outcome: a browser that asked to sign out keeps nothing.
                browser.clear();
            }
            String refreshToken = refreshToken(browser, request.getRefreshToken());
            return LogoutResponse.newBuilder().setSessionId(logout.logout(refreshToken, GrpcCalls.context())).build();
        });
    }

    @Override
    public void revoke(RevokeRequest request, StreamObserver<RevokeResponse> observer) {
        GrpcCalls.unary(observer, () -> {
            optional("token_type_hint", request.getTokenTypeHint());
            revocation.revoke(
                    required("client_id", request.getClientId()),
                    optional("client_secret", request.getClientSecret()),
                    required("token", request.getToken()),
                    GrpcCalls.context());
            return RevokeResponse.getDefaultInstance();
        });
    }

    @Override
    public void introspect(IntrospectRequest request, StreamObserver<IntrospectResponse> observer) {
        GrpcCalls.unary(observer, () -> {
            optional("token_type_hint", request.getTokenTypeHint());
            return toResponse(introspection.introspect(
                    required("client_id", request.getClientId()),
                    optional("client_secret", request.getClientSecret()),
                    // An oversized token is simply not active; RFC 7662 has no error for it.
                    request.getToken().length() > RequestFields.MAX_LENGTH * 4 ? "" : request.getToken()));
        });
    }

    @Override
    public void issueTokens(IssueTokensRequest request, StreamObserver<TokenPair> observer) {
        GrpcCalls.unary(observer, () -> toPair(trustedIssuance.issue(
                required("client_id", request.getClientId()),
                required("client_secret", request.getClientSecret()),
                required("user_id", request.getUserId()),
                names("scopes", request.getScopesList()),
                optional("audience", request.getAudience()),
                device(request.getDevice()),
                GrpcCalls.context())));
    }

    @Override
    public void listMySessions(ListMySessionsRequest request, StreamObserver<ListMySessionsResponse> observer) {
        GrpcCalls.unary(observer, () -> mySessions.list(request));
    }

    @Override
    public void revokeMySession(RevokeMySessionRequest request, StreamObserver<RevokeMySessionResponse> observer) {
        GrpcCalls.unary(observer, () -> mySessions.revoke(request));
    }

    @Override
    public void revokeMyOtherSessions(RevokeMyOtherSessionsRequest request,
            StreamObserver<RevokeMyOtherSessionsResponse> observer) {
        GrpcCalls.unary(observer, mySessions::revokeOthers);
    }

    private static BrowserCall cookieMode(boolean requested) {
        return requested ? BrowserCall.forCookieMode() : null;
    }

    private static BrowserCall cookieMode(boolean requested, String clientId) {
        return requested ? BrowserCall.forCookieMode().forClient(clientId) : null;
    }

    /** In cookie mode the token comes from the cookie, never from the body. */
    private static String refreshToken(BrowserCall browser, String fromRequest) {
        if (browser == null) {
            return required("refresh_token", fromRequest);
        }
        if (!fromRequest.isEmpty()) {
            throw AuthorityException.invalidArgument("refresh_token", "must be empty in cookie mode");
        }
        return browser.refreshToken();
    }

    /** In cookie mode the new refresh token goes into the cookie and stays out of the body. */
    private static TokenPair respond(BrowserCall browser, IssuedTokens tokens) {
        TokenPair pair = toPair(tokens);
        if (browser == null) {
            return pair;
        }
        browser.keep(tokens.refreshToken(), tokens.refreshTokenExpiresAt());
        return pair.toBuilder().clearRefreshToken().build();
    }

    private static TokenPair toPair(IssuedTokens tokens) {
        return TokenPair.newBuilder()
                .setAccessToken(tokens.accessToken())
                .setAccessTokenExpiresAt(Timestamps.of(tokens.accessTokenExpiresAt()))
                .setRefreshToken(tokens.refreshToken())
                .setRefreshTokenId(tokens.refreshTokenId())
                .setRefreshTokenExpiresAt(Timestamps.of(tokens.refreshTokenExpiresAt()))
                .setSessionId(tokens.sessionId())
                .setTokenType("Bearer")
                .addAllScopes(tokens.scopes())
                .build();
    }

    private static IntrospectResponse toResponse(Introspection result) {
        if (!result.active()) {
            return IntrospectResponse.newBuilder().setActive(false).build();
        }
        IntrospectResponse.Builder response = IntrospectResponse.newBuilder()
                .setActive(true)
                .setTokenType(result.tokenType())
                .setScope(result.scope())
                .setClientId(result.clientId())
                .setSub(result.subject())
                .addAllAud(result.audience())
                .setIss(result.issuer())
                .setJti(result.jti())
                .setSid(result.sessionId())
                .setExp(result.exp())
                .setIat(result.iat());
        if (result.username() != null) {
            response.setUsername(result.username());
        }
        return response.build();
    }
}
