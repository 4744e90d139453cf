package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.access.AdminAccess;
import io.grpc.Context;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * A call that came through the gRPC-web listener, as cookie mode sees it: whether it is safe
 * from cross-site request forgery, the refresh cookie it carried, and where a new cookie goes.
 * Present in the call's {@link Context} only on the web listener, put there by {@link BrowserCalls}
 * (the only class that may build one: it decides the flags from the request's own headers).
 */
public final class BrowserCall {

    static final Context.Key<BrowserCall> KEY = Context.key("browser-call");

    /** A header a cross-site form cannot send and a cross-origin script cannot send without a CORS preflight. */
    public static final String CSRF_HEADER = "x-token-authority-browser";

    private final boolean crossSiteSafe;
    private final boolean fromConsoleOrigin;
    private final String cookieHeader;
    private final boolean secureCookies;
    private final Consumer<String> setCookie;
    private boolean plainCookieDropped;

    BrowserCall(boolean crossSiteSafe, boolean fromConsoleOrigin, String cookieHeader, boolean secureCookies,
            Consumer<String> setCookie) {
        this.crossSiteSafe = crossSiteSafe;
        this.fromConsoleOrigin = fromConsoleOrigin;
        this.cookieHeader = cookieHeader;
        this.secureCookies = secureCookies;
        this.setCookie = setCookie;
    }

    /**
     * The current call, when it asked for cookie mode: refused on the gRPC port (no browser, no
     * cookie jar) and for requests that could have been forged by another site.
     */
    public static BrowserCall forCookieMode() {
        BrowserCall call = KEY.get();
        if (call == null) {
            throw AuthorityException.failedPrecondition("cookie_mode is only available on the gRPC-web listener");
        }
        if (!call.crossSiteSafe) {
            throw AuthorityException.permissionDenied(
                    "cookie_mode needs an allowed Origin and the header " + CSRF_HEADER + ": 1");
        }
        return call;
    }

    /**
     * This call, for a cookie-mode Login or Refresh of {@code clientId}. The browser has one
     * refresh cookie, sent with credentialed calls from any same-site page, and an allowed origin
     * is an application's: were an admin client's cookie mode open to it, its page could turn the
     * console's cookie into an admin token. The admin clients' cookie mode is the console's, served
     * from the web port's own origin (or {@code --web-console-origin} behind a reverse proxy).
     */
    public BrowserCall forClient(String clientId) {
        if (AdminAccess.isAdminClient(clientId) && !fromConsoleOrigin) {
            throw AuthorityException.permissionDenied("cookie_mode for the admin client " + clientId
                    + " is only available to the admin console, on its own origin (the web port's, or"
                    + " --web-console-origin)");
        }
        return this;
    }

    /**
     * The refresh token from the cookie; a browser without one is simply not signed in. Two refresh cookies are
     * refused, never chosen between (see {@link RefreshCookie}).
     */
    public String refreshToken() {
        dropPlainCookie();
        try {
            return RefreshCookie.read(cookieHeader, secureCookies)
                    .orElseThrow(() -> AuthorityException.unauthenticated("no refresh cookie: sign in again"));
        } catch (RefreshCookie.AmbiguousCookies e) {
            throw AuthorityException.unauthenticated("more than one refresh cookie in the request (one may have been "
                    + "set by another site): refused; sign in again, or clear this site's cookies");
        }
    }

    public void keep(String refreshToken, Instant expiresAt) {
        dropPlainCookie();
        setCookie.accept(RefreshCookie.set(refreshToken, expiresAt, secureCookies));
    }

    public void clear() {
        dropPlainCookie();
        setCookie.accept(RefreshCookie.clear(secureCookies));
    }

    /**
     * A Secure listener ignores plain cookies; one this host set before it was Secure would otherwise sit beside the
     * new one and make every refresh ambiguous, so the first cookie-mode answer that sees it deletes it.
     */
    private void dropPlainCookie() {
        if (secureCookies && !plainCookieDropped && RefreshCookie.hasPlain(cookieHeader)) {
            plainCookieDropped = true;
            setCookie.accept(RefreshCookie.clearPlain());
        }
    }
}
