package dev.tokenauthority.authority.events;

import dev.tokenauthority.authority.keys.JwsSigner;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

/**
 * Builds and signs one Security Event Token (RFC 8417) per pending event: header {@code typ
 * secevent+jwt} (section 2.3) and the current signing key's {@code kid}, so a receiver verifies it
 * with our JWK set; claims {@code iss}, {@code aud} (the receiver's), {@code iat} (when signed, at
 * each attempt), {@code jti} (the event's, stable across retries so a receiver can drop a
 * duplicate), {@code sub_id} (RFC 9493 section 3, at the top level as the Shared Signals
 * Framework 1.0 places it), and {@code events} with one CAEP event. No {@code exp}: RFC 8417
 * section 2.2 does not use it for SETs.
 */
public final class SecurityEventTokens {

    /** The JWS {@code typ} of a SET, RFC 8417 section 2.3. */
    public static final String TYPE = "secevent+jwt";

    private final JwsSigner signer;
    private final String issuer;

    public SecurityEventTokens(JwsSigner signer, String issuer) {
        this.signer = signer;
        this.issuer = issuer;
    }

    /** The signed SET of {@code event} for a receiver of {@code audience}, issued at {@code now}. */
    public String sign(PendingEvent event, String audience, Instant now) {
        return signer.sign(TYPE, claimsJson(event, audience, now));
    }

    String claimsJson(PendingEvent event, String audience, Instant now) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setJwtId(event.eventId());
        claims.setClaim("sub_id", subject(event));
        claims.setClaim("events", Map.of(event.type().uri(), eventClaims(event)));
        return claims.toJson();
    }

    /**
     * A session: the complex format with the user and the session (RFC 9493 section 3.3); a user: the
     * opaque format (section 3.2.4); every user, a global revocation: the issuer as a URI subject
     * (section 3.2.7), our choice, as RFC 9493 names no format for "everyone".
     */
    private Map<String, Object> subject(PendingEvent event) {
        if (event.userId() == null) {
            return Map.of("format", "uri", "uri", issuer);
        }
        Map<String, Object> user = Map.of("format", "opaque", "id", event.userId());
        if (event.sessionId() == null) {
            return user;
        }
        Map<String, Object> complex = new LinkedHashMap<>();
        complex.put("format", "complex");
        complex.put("user", user);
        complex.put("session", Map.of("format", "opaque", "id", event.sessionId()));
        return complex;
    }

    /**
     * CAEP's common claims (section 2; no {@code initiating_entity}: the log does not say whether
     * an admin, the user or a policy such as reuse detection ended a session), and credential-change's
     * two required claims (section 3.2). What changed is the user's roles, for which CAEP has no
     * credential type: the issued tokens it revokes are the nearest, sent as a revoked
     * {@code verifiable-credential} (see the README).
     */
    private static Map<String, Object> eventClaims(PendingEvent event) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("event_timestamp", event.eventAt().getEpochSecond());
        if (event.reason() != null && !event.reason().isEmpty()) {
            claims.put("reason_admin", Map.of("en", event.reason()));
        }
        if (event.type() == EventType.CREDENTIAL_CHANGE) {
            claims.put("credential_type", "verifiable-credential");
            claims.put("change_type", "revoke");
        }
        return claims;
    }
}
