package dev.tokenauthority.authority.events;

import java.util.Optional;

/**
 * The OpenID CAEP event types the authority emits (CAEP 1.0 sections 3.1 and 3.2). An admin names
 * them by their short name, the last segment of the URI.
 */
public enum EventType {
    /** A session, all of a user's sessions, or every session ended. */
    SESSION_REVOKED("session-revoked"),
    /** The user's access changed in a way that revokes their tokens (see the README for the mapping). */
    CREDENTIAL_CHANGE("credential-change");

    private static final String URI_PREFIX = "https://schemas.openid.net/secevent/caep/event-type/";

    private final String shortName;

    EventType(String shortName) {
        this.shortName = shortName;
    }

    public String shortName() {
        return shortName;
    }

    /** The event-type URI, the key under {@code events} in the SET (RFC 8417 section 2.2). */
    public String uri() {
        return URI_PREFIX + shortName;
    }

    /** The type of a short name or a full URI; empty when it is neither. */
    public static Optional<EventType> parse(String name) {
        for (EventType type : values()) {
            if (type.shortName.equals(name) || type.uri().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
