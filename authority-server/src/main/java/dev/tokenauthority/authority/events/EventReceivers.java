package dev.tokenauthority.authority.events;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.audit.AuditLog;
import dev.tokenauthority.authority.audit.CallContext;
import dev.tokenauthority.authority.crypto.Secrets;
import dev.tokenauthority.authority.keys.KeyEncryptionKeys;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Registering, listing and deleting event receivers, each audited in its own transaction. The
 * auth header is sealed at once with the key-encryption key that seals the signing keys (bound to
 * the receiver's id), and never returned, logged or audited: an admin sees only whether one is set.
 */
public final class EventReceivers {

    /** The longest audience, as the column holds it. */
    private static final int AUDIENCE_MAX = 512;
    private static final int URL_MAX = 2048;
    private static final int AUTH_HEADER_MAX = 2048;

    private final Transactions transactor;
    private final KeyEncryptionKeys keks;
    private final AuditLog audit;
    private final Clock clock;

    public EventReceivers(Transactions transactor, KeyEncryptionKeys keks, AuditLog audit, Clock clock) {
        this.transactor = transactor;
        this.keks = keks;
        this.audit = audit;
        this.clock = clock;
    }

    /** What an admin asks for; {@code authHeader} empty for none. */
    public record Spec(String endpointUrl, String audience, List<String> eventTypes, String authHeader) {
        @Override
        public String toString() {
            return "Spec[" + endpointUrl + ", " + audience + ", " + eventTypes + "]"; // never the header
        }
    }

    /** The associated-data label the auth header of receiver {@code id} is sealed under. */
    static String sealingLabel(String id) {
        return "event-receiver " + id;
    }

    public EventReceiver create(Spec spec, CallContext context) {
        String url = endpointUrl(spec.endpointUrl());
        String audience = spec.audience() == null ? "" : spec.audience().trim();
        if (audience.isEmpty() || audience.length() > AUDIENCE_MAX) {
            throw AuthorityException.invalidArgument("audience", "required, at most " + AUDIENCE_MAX + " characters");
        }
        Set<EventType> types = eventTypes(spec.eventTypes());
        String header = spec.authHeader() == null ? "" : spec.authHeader();
        if (header.length() > AUTH_HEADER_MAX || header.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
            throw AuthorityException.invalidArgument("auth_header",
                    "at most " + AUTH_HEADER_MAX + " printable ASCII characters (an Authorization header value)");
        }
        String id = Secrets.newId("evr_");
        KeyEncryptionKeys.Sealed sealed = header.isEmpty() ? null
                : keks.seal(sealingLabel(id), header.getBytes(StandardCharsets.UTF_8));
        Instant now = clock.instant();
        EventReceiver receiver = new EventReceiver(id, url, audience, types, sealed, now,
                EventReceiver.DeliveryStatus.NEW);
        transactor.useTransaction(tx -> {
            tx.store(EventReceiverStore.class).insert(receiver);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("endpoint_url", url);
            details.put("audience", audience);
            details.put("event_types", types.stream().map(EventType::shortName).toList());
            details.put("auth_header_set", sealed != null);
            audit.record(tx, context, now, "event_receiver.create", "event_receiver", id, null, details);
        });
        return receiver;
    }

    public EventReceiver get(String id) {
        return transactor.read(tx -> tx.store(EventReceiverStore.class).findById(id))
                .orElseThrow(() -> AuthorityException.notFound("event receiver", id));
    }

    public List<EventReceiver> list() {
        return transactor.read(tx -> tx.store(EventReceiverStore.class).list());
    }

    /** Deletes the receiver and drops its pending events. */
    public void delete(String id, CallContext context) {
        transactor.useTransaction(tx -> {
            EventReceiverStore receivers = tx.store(EventReceiverStore.class);
            EventReceiver receiver = receivers.findById(id)
                    .orElseThrow(() -> AuthorityException.notFound("event receiver", id));
            receivers.delete(id);
            audit.record(tx, context, clock.instant(), "event_receiver.delete", "event_receiver", id, null,
                    Map.of("endpoint_url", receiver.endpointUrl(), "dropped_events", receiver.status().pending()));
        });
    }

    /**
     * https, or http to a loopback address only (tests and development): a SET carries user and
     * session ids, and the auth header a secret, neither to be sent in clear over a network.
     */
    private static String endpointUrl(String value) {
        String url = value == null ? "" : value.trim();
        if (url.isEmpty() || url.length() > URL_MAX) {
            throw AuthorityException.invalidArgument("endpoint_url", "required, at most " + URL_MAX + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw AuthorityException.invalidArgument("endpoint_url", "not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (uri.getHost() == null || uri.getUserInfo() != null || uri.getFragment() != null
                || !(scheme.equals("https") || scheme.equals("http") && isLoopback(uri.getHost()))) {
            throw AuthorityException.invalidArgument("endpoint_url",
                    "must be an https URL with a host, no user info and no fragment (http only to a loopback address)");
        }
        return url;
    }

    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        // Only literal addresses: a name is not resolved here, so it cannot be made to point elsewhere later.
        if (!host.matches("[0-9.]+|\\[[0-9a-fA-F:.]+\\]")) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static Set<EventType> eventTypes(List<String> names) {
        if (names == null || names.isEmpty()) {
            throw AuthorityException.invalidArgument("event_types", "at least one of session-revoked, credential-change");
        }
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        for (String name : names) {
            types.add(EventType.parse(name == null ? "" : name.trim()).orElseThrow(() -> AuthorityException
                    .invalidArgument("event_types", "unknown event type '" + name
                            + "' (known: session-revoked, credential-change, or their CAEP URIs)")));
        }
        return types;
    }
}
