package dev.tokenauthority.authority.api;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.URI;
import java.util.Set;

/**
 * Puts a {@link BrowserCall} into every web call's context. A call is safe from cross-site
 * forgery when its Origin is the listener's own or on the allow-list, and it carries
 * {@link BrowserCall#CSRF_HEADER}: a form on another site can send neither, and a script on
 * another site cannot send the header without a CORS preflight that only allowed origins pass.
 */
public final class BrowserCalls implements ServerInterceptor {

    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    private final Set<String> allowedOrigins;
    private final String consoleOrigin;
    private final boolean insecureCookiesOnLocalhost;

    /** @param consoleOrigin where a reverse proxy serves the console, or null for the listener's own origin */
    public BrowserCalls(Set<String> allowedOrigins, String consoleOrigin, boolean insecureCookiesOnLocalhost) {
        this.allowedOrigins = allowedOrigins;
        this.consoleOrigin = consoleOrigin;
        this.insecureCookiesOnLocalhost = insecureCookiesOnLocalhost;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        ServiceRequestContext ctx = ServiceRequestContext.current();
        RequestHeaders request = ctx.request().headers();
        String ownOrigin = (ctx.sessionProtocol().isTls() ? "https://" : "http://") + request.authority();
        String origin = request.get(HttpHeaderNames.ORIGIN);
        boolean fromConsoleOrigin = origin != null && origin.equals(consoleOrigin == null ? ownOrigin : consoleOrigin);
        boolean crossSiteSafe = origin != null
                && (fromConsoleOrigin || ownOrigin.equals(origin) || allowedOrigins.contains(origin))
                && "1".equals(request.get(BrowserCall.CSRF_HEADER));
        BrowserCall browser = new BrowserCall(crossSiteSafe, fromConsoleOrigin, request.get(HttpHeaderNames.COOKIE),
                !(insecureCookiesOnLocalhost && isLoopback(request.authority())),
                value -> ctx.addAdditionalResponseHeader(HttpHeaderNames.SET_COOKIE, value));
        return Contexts.interceptCall(Context.current().withValue(BrowserCall.KEY, browser), call, headers, next);
    }

    private static boolean isLoopback(String authority) {
        if (authority == null) {
            return false;
        }
        String host = URI.create("http://" + authority).getHost();
        return host != null && LOOPBACK_HOSTS.contains(host);
    }
}
