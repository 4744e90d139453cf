package dev.tokenauthority.authority.events;

import dev.tokenauthority.authority.keys.KeyEncryptionKeys;
import java.time.Instant;
import java.util.Set;

/**
 * A registered receiver of Security Event Tokens and where its deliveries stand. {@code authHeader}
 * is the sealed form of the header sent with every push, null when none was given; it is opened
 * only to send it.
 */
public record EventReceiver(String id, String endpointUrl, String audience, Set<EventType> eventTypes,
        KeyEncryptionKeys.Sealed authHeader, Instant createdAt, DeliveryStatus status) {

    /** What GetEventReceiver reports: the events waiting and the last outcomes. */
    public record DeliveryStatus(long pending, Instant lastSuccessAt, Instant lastFailureAt, String lastFailureReason,
            int consecutiveFailures) {
        public static final DeliveryStatus NEW = new DeliveryStatus(0, null, null, null, 0);
    }

    /** Whether the receiver wants events of this type. */
    public boolean wants(EventType type) {
        return eventTypes.contains(type);
    }
}
