package dev.tokenauthority.authority.api;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The browser's refresh token, kept where page scripts cannot read it: HttpOnly and SameSite=Strict always. Formats
 * the Set-Cookie values and finds the token in a Cookie header.
 *
 * <p>Secure (every listener but a localhost dev server on plain HTTP): the name is {@value #SECURE_NAME}. Browsers
 * accept a {@code __Host-} cookie only with Secure, Path=/ and no Domain, set over HTTPS by the very host it is for
 * (RFC 6265bis section 4.1.3.2), so no other host, a sibling subdomain included, can set or shadow it. The price is
 * Path=/: the browser sends it with every request to the web port (AdminService calls and the console's files too,
 * where nothing reads it), not only to AuthService. {@code __Secure-} would keep the narrow path, but it only proves
 * the cookie was set over HTTPS: a sibling subdomain on HTTPS can still set a same-named cookie with Domain=parent
 * and a longer path, so the browser would send its cookie first (session fixation) or beside ours. HttpOnly and
 * SameSite=Strict already keep the wider path from scripts and other sites.
 *
 * <p>Not Secure (the plain-HTTP local demo): browsers refuse a prefixed cookie there, so the name is
 * {@value #PLAIN_NAME}, sent only to the AuthService path.
 *
 * <p>A request carrying the name twice is refused rather than answered from one of them: the browser orders
 * same-named cookies by path length and age, which another site can arrange, so neither is known to be ours. On the
 * plain listener a {@code __Host-} cookie beside ours is refused the same way. On a Secure listener a plain cookie is
 * never ours (anyone on the parent domain can set one, with a Domain this host cannot delete) and is ignored, alone
 * or beside ours: were it refused, a sibling subdomain could make every refresh fail for as long as it liked.
 */
public final class RefreshCookie {

    public static final String SECURE_NAME = "__Host-ta_refresh";
    public static final String PLAIN_NAME = "ta_refresh";
    /** gRPC-web calls are POSTs to /package.Service/Method: only AuthService's methods see the plain cookie. */
    public static final String PLAIN_PATH = "/tokenauthority.v1.AuthService/";

    private static final String EXPIRED = "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT";

    /** A Cookie header with more than one refresh cookie in it. */
    static final class AmbiguousCookies extends Exception {
        AmbiguousCookies() {
            super(null, null, false, false);
        }
    }

    private RefreshCookie() {}

    public static String set(String refreshToken, Instant expiresAt, boolean secure) {
        return name(secure) + "=" + refreshToken + "; Path=" + path(secure) + "; Expires="
                + DateTimeFormatter.RFC_1123_DATE_TIME.format(expiresAt.atOffset(ZoneOffset.UTC))
                + attributes(secure);
    }

    /** Deletes the cookie: an empty value that expired long ago. */
    public static String clear(boolean secure) {
        return name(secure) + "=; Path=" + path(secure) + EXPIRED + attributes(secure);
    }

    /**
     * Deletes a plain cookie this host set before its listener was Secure. (One set for a parent domain needs that
     * Domain to delete, and is not this host's to delete.)
     */
    static String clearPlain() {
        return clear(false);
    }

    /**
     * The token from a Cookie request header ({@code a=1; __Host-ta_refresh=...}), if present and non-empty.
     *
     * @throws AmbiguousCookies if the header holds this mode's cookie more than once, or (plain mode) beside a
     *     {@code __Host-} one
     */
    static Optional<String> read(String cookieHeader, boolean secure) throws AmbiguousCookies {
        List<String> values = values(cookieHeader, name(secure));
        if (values.size() > 1 || !secure && values.size() == 1 && !values(cookieHeader, SECURE_NAME).isEmpty()) {
            throw new AmbiguousCookies();
        }
        return values.stream().filter(value -> !value.isEmpty()).findFirst();
    }

    /** Whether the header holds a plain cookie, which a Secure listener ignores. */
    static boolean hasPlain(String cookieHeader) {
        return !values(cookieHeader, PLAIN_NAME).isEmpty();
    }

    private static List<String> values(String cookieHeader, String name) {
        List<String> values = new ArrayList<>(1);
        if (cookieHeader == null) {
            return values;
        }
        for (String pair : cookieHeader.split(";")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).strip().equals(name)) {
                values.add(pair.substring(equals + 1).strip());
            }
        }
        return values;
    }

    private static String name(boolean secure) {
        return secure ? SECURE_NAME : PLAIN_NAME;
    }

    private static String path(boolean secure) {
        return secure ? "/" : PLAIN_PATH;
    }

    private static String attributes(boolean secure) {
        return "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }
}
