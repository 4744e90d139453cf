package dev.tokenauthority.sidecar.validation;

import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_MALFORMED;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a parsed claims object into {@link AccessTokenClaims}, rejecting as MALFORMED any required claim that is
 * missing, of the wrong JSON type or out of range. Unknown claims are ignored (RFC 7519 section 4).
 *
 * <p>Required: iss, sub, aud, exp, iat, jti, client_id, scope, sid (RFC 9068 section 2.2 plus the authority's sid).
 * Optional: nbf, iat_us, auth_time, auth_time_us. NumericDates must be integers in [0, 253402300799] (year 9999); the authority never issues
 * fractional seconds, so a fraction is treated as a forgery attempt rather than rounded.
 */
final class AccessTokenClaimsReader {

    /** 9999-12-31T23:59:59Z: later NumericDates are nonsense and could overflow millisecond arithmetic. */
    static final long MAX_NUMERIC_DATE = 253_402_300_799L;

    private static final long MICROS_PER_SECOND = 1_000_000L;

    private AccessTokenClaimsReader() {
    }

    static AccessTokenClaims read(Map<String, Object> claims) {
        long issuedAt = numericDate(claims.get("iat"));
        Object nbf = claims.get("nbf");
        Object iatMicros = claims.get("iat_us");
        long issuedAtMicros = issuedAt * MICROS_PER_SECOND;
        if (iatMicros != null) {
            long micros = integer(iatMicros, 0, MAX_NUMERIC_DATE * MICROS_PER_SECOND + 999_999);
            // iat_us is the precise form of iat; a disagreement means the token was not made by our authority.
            if (Math.floorDiv(micros, MICROS_PER_SECOND) != issuedAt) {
                throw TokenRejection.of(DENIAL_REASON_MALFORMED);
            }
            issuedAtMicros = micros;
        }
        long sessionStartMicros = sessionStartMicros(claims, issuedAtMicros);
        return new AccessTokenClaims(
                requiredString(claims.get("iss")),
                requiredString(claims.get("sub")),
                audiences(claims.get("aud")),
                numericDate(claims.get("exp")),
                issuedAt,
                nbf == null ? AccessTokenClaims.NO_NOT_BEFORE : numericDate(nbf),
                requiredString(claims.get("jti")),
                requiredString(claims.get("client_id")),
                scopes(claims.get("scope")),
                requiredString(claims.get("sid")),
                issuedAtMicros,
                sessionStartMicros);
    }

    /**
     * When the token's session began, in microseconds: "auth_time_us", else "auth_time" (RFC 9068
     * section 2.2.1) in seconds, else the issue time (a token from before the authority wrote them,
     * whose force logouts revoked the session's rows before returning). A session cannot begin after
     * its token, and the precise form must agree with "auth_time": otherwise the token is malformed.
     */
    private static long sessionStartMicros(Map<String, Object> claims, long issuedAtMicros) {
        Object seconds = claims.get("auth_time");
        Object micros = claims.get("auth_time_us");
        long start = issuedAtMicros;
        if (seconds != null) {
            start = numericDate(seconds) * MICROS_PER_SECOND;
        }
        if (micros != null) {
            long precise = integer(micros, 0, MAX_NUMERIC_DATE * MICROS_PER_SECOND + 999_999);
            if (seconds != null && Math.floorDiv(precise, MICROS_PER_SECOND) != numericDate(seconds)) {
                throw TokenRejection.of(DENIAL_REASON_MALFORMED);
            }
            start = precise;
        }
        if (start > issuedAtMicros) {
            throw TokenRejection.of(DENIAL_REASON_MALFORMED);
        }
        return start;
    }

    private static String requiredString(Object value) {
        if (value instanceof String text && !text.isEmpty()) {
            return text;
        }
        throw TokenRejection.of(DENIAL_REASON_MALFORMED);
    }

    private static long numericDate(Object value) {
        return integer(value, 0, MAX_NUMERIC_DATE);
    }

    private static long integer(Object value, long min, long max) {
        if (value instanceof Long number && number >= min && number <= max) {
            return number;
        }
        throw TokenRejection.of(DENIAL_REASON_MALFORMED);
    }

    /** RFC 7519 section 4.1.3: a single string or an array of strings. */
    private static List<String> audiences(Object value) {
        if (value instanceof String single && !single.isEmpty()) {
            return List.of(single);
        }
        if (value instanceof List<?> list && !list.isEmpty()) {
            List<String> audiences = new ArrayList<>(list.size());
            for (Object element : list) {
                audiences.add(requiredString(element));
            }
            return audiences;
        }
        throw TokenRejection.of(DENIAL_REASON_MALFORMED);
    }

    /**
     * RFC 6749 section 3.3: {@code scope = scope-token *( SP scope-token )}, {@code scope-token = 1*NQCHAR}. An empty
     * string means no scopes; doubled, leading or trailing spaces are malformed.
     */
    private static List<String> scopes(Object value) {
        if (!(value instanceof String scope)) {
            throw TokenRejection.of(DENIAL_REASON_MALFORMED);
        }
        if (scope.isEmpty()) {
            return List.of();
        }
        List<String> scopes = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= scope.length(); i++) {
            if (i == scope.length() || scope.charAt(i) == ' ') {
                if (i == start) {
                    throw TokenRejection.of(DENIAL_REASON_MALFORMED);
                }
                scopes.add(scope.substring(start, i));
                start = i + 1;
            } else if (!isNqChar(scope.charAt(i))) {
                throw TokenRejection.of(DENIAL_REASON_MALFORMED);
            }
        }
        return scopes;
    }

    /** NQCHAR = %x21 / %x23-5B / %x5D-7E (RFC 6749 appendix A). */
    private static boolean isNqChar(char c) {
        return c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
    }
}
