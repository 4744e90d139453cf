package dev.tokenauthority.authority.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The browser's refresh token, kept where page scripts cannot read it (seed 001): HttpOnly,
 * SameSite=Strict, sent only to the AuthService path, Secure unless a localhost dev server asked
 * for plain HTTP. Formats the Set-Cookie values and finds the token in a Cookie header.
 */
public final class RefreshCookie {

    public static final String NAME = "ta_refresh";
    /** gRPC-web calls are POSTs to /package.Service/Method: only AuthService's methods see the cookie. */
    public static final String PATH = "/tokenauthority.v1.AuthService/";

    private RefreshCookie() {}

    public static String set(String refreshToken, Instant expiresAt, boolean secure) {
        return NAME + "=" + refreshToken + "; Path=" + PATH + "; Expires="
                + DateTimeFormatter.RFC_1123_DATE_TIME.format(expiresAt.atOffset(ZoneOffset.UTC))
                + attributes(secure);
    }

    /** Deletes the cookie: an empty value that expired long ago. */
    public static String clear(boolean secure) {
        return NAME + "=; Path=" + PATH + "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT" + attributes(secure);
    }

    /** The token from a Cookie request header ({@code a=1; ta_refresh=...}), if present and non-empty. */
    public static Optional<String> read(String cookieHeader) {
        if (cookieHeader == null) {
            return Optional.empty();
        }
        for (String pair : cookieHeader.split(";")) {
            String trimmed = pair.strip();
            if (trimmed.startsWith(NAME + "=") && trimmed.length() > NAME.length() + 1) {
                return Optional.of(trimmed.substring(NAME.length() + 1));
            }
        }
        return Optional.empty();
    }

    private static String attributes(boolean secure) {
        return "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }
}
