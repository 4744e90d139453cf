package dev.tokenauthority.sidecar.server;

import com.google.rpc.Code;
import com.google.rpc.Status;
import dev.tokenauthority.api.v1.DenialReason;
import dev.tokenauthority.sidecar.validation.AccessTokenClaims;
import dev.tokenauthority.sidecar.validation.ValidationDecision;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.envoyproxy.envoy.service.auth.v3.DeniedHttpResponse;
import io.envoyproxy.envoy.service.auth.v3.OkHttpResponse;
import io.envoyproxy.envoy.type.v3.HttpStatus;
import io.envoyproxy.envoy.type.v3.StatusCode;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Envoy's (and Istio's) external authorization, {@code envoy.service.auth.v3.Authorization/Check}, answered with the
 * same decision as Validate ({@link LocalDecisions}), so a service behind Envoy gets revocation-aware checks without a
 * line of code.
 *
 * <p>The token is the request's {@code authorization: Bearer} header. A route narrows the check through its
 * {@code context_extensions}: {@value #AUDIENCE} (one audience the token must carry) and {@value #REQUIRED_SCOPES}
 * (space-separated). An accepted request goes upstream with the token's subject, client id, scopes and session id in
 * four headers ({@code x-token-subject}, {@code x-token-client-id}, {@code x-token-scopes}, {@code x-token-session-id}
 * with the default prefix), which replace any the client sent itself; those it has no value for are removed. A denial
 * answers the client as RFC 6750 section 3 says: 401 with {@code WWW-Authenticate: Bearer} when no bearer token was
 * presented, 401 with {@code error="invalid_token"} and the reason for a token that is not accepted, 403 with
 * {@code error="insufficient_scope"} for a missing scope, and 503 when the revocation state is too old to decide on.
 */
public final class ExtAuthzGrpcService extends AuthorizationGrpc.AuthorizationImplBase {

    /** The context extension naming the audience a route requires. */
    public static final String AUDIENCE = "audience";
    /** The context extension listing the scopes a route requires, space-separated. */
    public static final String REQUIRED_SCOPES = "required_scopes";
    public static final String DEFAULT_HEADER_PREFIX = "x-token-";

    private static final String BEARER = "bearer ";

    private final LocalDecisions decisions;
    private final SidecarMetrics metrics;
    private final String subjectHeader;
    private final String clientIdHeader;
    private final String scopesHeader;
    private final String sessionIdHeader;

    public ExtAuthzGrpcService(LocalDecisions decisions, SidecarMetrics metrics, String headerPrefix) {
        this.decisions = decisions;
        this.metrics = metrics;
        String prefix = headerPrefix.toLowerCase(Locale.ROOT);
        this.subjectHeader = prefix + "subject";
        this.clientIdHeader = prefix + "client-id";
        this.scopesHeader = prefix + "scopes";
        this.sessionIdHeader = prefix + "session-id";
    }

    @Override
    public void check(CheckRequest request, StreamObserver<CheckResponse> observer) {
        long started = System.nanoTime();
        AttributeContext attributes = request.getAttributes();
        String token = bearerToken(attributes.getRequest().getHttp());
        CheckResponse response;
        if (token == null) {
            response = denied(Code.UNAUTHENTICATED, StatusCode.Unauthorized, "Bearer", "no bearer token");
        } else {
            Map<String, String> route = attributes.getContextExtensionsMap();
            String scopes = route.getOrDefault(REQUIRED_SCOPES, "").trim();
            ValidationDecision decision = decisions.decide(token, route.getOrDefault(AUDIENCE, ""),
                    scopes.isEmpty() ? List.of() : List.of(scopes.split("\\s+")));
            response = decision.valid() ? allowed(decision.claims()) : denied(decision.reason(), scopes);
            metrics.recordValidation(decision.valid(), decision.reason(), System.nanoTime() - started);
        }
        observer.onNext(response);
        observer.onCompleted();
    }

    /** The bearer token of the request, or null; Envoy sends header names in lower case. */
    private static String bearerToken(AttributeContext.HttpRequest http) {
        String authorization = http.getHeadersMap().get("authorization");
        if (authorization == null) {
            authorization = http.getHeaderMap().getHeadersList().stream()
                    .filter(h -> h.getKey().equalsIgnoreCase("authorization"))
                    .map(h -> h.getValue().isEmpty() ? h.getRawValue().toStringUtf8() : h.getValue())
                    .findFirst().orElse(null);
        }
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = authorization.substring(BEARER.length()).trim();
        return token.isEmpty() ? null : token;
    }

    private CheckResponse allowed(AccessTokenClaims claims) {
        OkHttpResponse.Builder ok = OkHttpResponse.newBuilder();
        set(ok, subjectHeader, claims.subject());
        set(ok, clientIdHeader, claims.clientId());
        set(ok, scopesHeader, String.join(" ", claims.scopes()));
        set(ok, sessionIdHeader, claims.sessionId());
        return CheckResponse.newBuilder().setStatus(Status.newBuilder().setCode(Code.OK_VALUE))
                .setOkResponse(ok).build();
    }

    /** Overwrites what the client sent under {@code name}, or removes it when there is no value to vouch for. */
    private static void set(OkHttpResponse.Builder ok, String name, String value) {
        if (value == null || value.isEmpty()) {
            ok.addHeadersToRemove(name);
        } else {
            ok.addHeaders(HeaderValueOption.newBuilder()
                    .setHeader(HeaderValue.newBuilder().setKey(name).setValue(value))
                    .setAppendAction(HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD));
        }
    }

    private static CheckResponse denied(DenialReason reason, String requiredScopes) {
        String name = reason.name().substring("DENIAL_REASON_".length());
        return switch (reason) {
            case DENIAL_REASON_FEED_STALE -> denied(Code.UNAVAILABLE, StatusCode.ServiceUnavailable, null,
                    "the revocation state is too old to decide on");
            case DENIAL_REASON_INSUFFICIENT_SCOPE -> denied(Code.PERMISSION_DENIED, StatusCode.Forbidden,
                    "Bearer error=\"insufficient_scope\", error_description=\"" + name + "\", scope=\""
                            + requiredScopes + "\"", "insufficient scope");
            default -> denied(Code.UNAUTHENTICATED, StatusCode.Unauthorized,
                    "Bearer error=\"invalid_token\", error_description=\"" + name + "\"", "invalid token: " + name);
        };
    }

    private static CheckResponse denied(Code code, StatusCode http, String wwwAuthenticate, String body) {
        DeniedHttpResponse.Builder denied = DeniedHttpResponse.newBuilder()
                .setStatus(HttpStatus.newBuilder().setCode(http)).setBody(body + "\n");
        if (wwwAuthenticate != null) {
            denied.addHeaders(HeaderValueOption.newBuilder()
                    .setHeader(HeaderValue.newBuilder().setKey("www-authenticate").setValue(wwwAuthenticate))
                    .setAppendAction(HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD));
        }
        return CheckResponse.newBuilder().setStatus(Status.newBuilder().setCode(code.getNumber())
                .setMessage(body)).setDeniedResponse(denied).build();
    }
}
