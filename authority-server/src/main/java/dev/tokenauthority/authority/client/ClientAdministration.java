package dev.tokenauthority.authority.client;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.DeletedRows;
import dev.tokenauthority.authority.SpaceSeparated;
import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.access.AdminAccess;
import dev.tokenauthority.authority.audit.AuditLog;
import dev.tokenauthority.authority.audit.CallContext;
import dev.tokenauthority.authority.listing.PageCursor;
import dev.tokenauthority.authority.listing.Paging;
import dev.tokenauthority.authority.revocation.RevocationResult;
import dev.tokenauthority.authority.revocation.Revocations;
import dev.tokenauthority.authority.settings.AuthoritySettings;
import dev.tokenauthority.authority.token.ClientLifetimes;
import dev.tokenauthority.authority.token.SessionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Client administration: register, list, change audiences, scopes, permissions and
 * lifetimes, rotate a confidential client's secret, delete. Deleting a client first revokes every
 * active session it holds, in the feed, in the same transaction.
 */
public final class ClientAdministration {

    /** Client ids are URL- and log-safe: 1-128 of letters, digits, dot, underscore, hyphen. */
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    /** The permissions a client may hold; anything else is a typo that would grant nothing. */
    private static final Set<String> KNOWN_PERMISSIONS = Set.of(Client.ISSUE_TOKENS, Client.SUBSCRIBE_FEED,
            Client.INTROSPECT_EMAIL);
    /** The longest client name (the column's width). */
    private static final int MAX_NAME_LENGTH = 256;

    private final Transactions transactor;
    private final ClientRegistration registration;
    private final Revocations revocations;
    private final AuditLog audit;
    private final Duration maxAccessTokenTtl;
    private final Clock clock;
    private final Consumer<String> changed;

    /**
     * @param changed told the client id after a change to a client (update, secret rotation,
     *                deletion) commits, so that streams it authenticated can be re-checked at once
     */
    public ClientAdministration(Transactions transactor, ClientRegistration registration, Revocations revocations,
            AuditLog audit, Duration maxAccessTokenTtl, Clock clock, Consumer<String> changed) {
        this.transactor = transactor;
        this.registration = registration;
        this.revocations = revocations;
        this.audit = audit;
        this.maxAccessTokenTtl = maxAccessTokenTtl;
        this.clock = clock;
        this.changed = changed;
    }

    /** What UpdateClient changes: each non-null field; lifetimes likewise inside {@code lifetimes}. */
    public record ClientChanges(String name, List<String> audiences, List<String> scopes, List<String> permissions,
            ClientLifetimes lifetimes, Boolean disabled) {
    }

    public record Page(List<Client> clients, String nextPageToken, long totalSize) {
    }

    /**
     * Registers a client; lifetimes left null come from the settings. A confidential client's
     * secret is in the result, the only time it is shown.
     */
    public ClientRegistration.Registered create(ClientRegistration.Spec spec, ClientLifetimes requested,
            CallContext context) {
        if (!CLIENT_ID.matcher(spec.clientId()).matches()) {
            throw AuthorityException.invalidArgument("client.client_id", "must be 1-128 of A-Z a-z 0-9 . _ -");
        }
        checkName(spec.name());
        checkAudiences(spec.audiences(), spec.confidential(), spec.permissions());
        AdminAccess.checkRegistration(spec.clientId(), spec.audiences(), spec.scopes());
        checkPermissions(spec.permissions());
        return transactor.inTransaction(tx -> {
            Instant now = clock.instant();
            ClientStore clients = tx.store(ClientStore.class);
            if (clients.findById(spec.clientId()).isPresent()) {
                throw new AuthorityException(AuthorityException.Kind.ALREADY_EXISTS,
                        "a client with this client_id exists: " + spec.clientId());
            }
            ClientLifetimes lifetimes = AuthoritySettings.load(tx).defaultLifetimes().with(requested)
                    .validate(maxAccessTokenTtl, field -> "client." + field);
            ClientRegistration.Registered registered = registration.register(tx, spec, lifetimes, now);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("confidential", spec.confidential());
            describe(registered.client(), "_after", details);
            audit.record(tx, context, now, "client.create", "client", spec.clientId(), null, details);
            return registered;
        });
    }

    public Client get(String clientId) {
        return transactor.read(tx -> find(tx.store(ClientStore.class).findById(clientId), clientId));
    }

    /** Clients by id. */
    public Page list(int pageSize, String pageToken) {
        int size = Paging.pageSize(pageSize);
        String fingerprint = Paging.fingerprint("clients", "client_id asc");
        PageCursor cursor = PageCursor.decode(pageToken, fingerprint);
        return transactor.read(tx -> {
            ClientStore clients = tx.store(ClientStore.class);
            Paging.Slice<Client> slice = Paging.slice(clients.findAfter(cursor == null ? "" : cursor.id(), size + 1),
                    size, Client::clientId, Client::clientId, fingerprint);
            return new Page(slice.rows(), slice.nextPageToken(), clients.count());
        });
    }

    /** Applies the changes; the result must satisfy the same rules as a new client. */
    public Client update(String clientId, ClientChanges changes, String reason, CallContext context) {
        if (changes.name() != null) {
            checkName(changes.name());
        }
        if (changes.permissions() != null) {
            checkPermissions(changes.permissions());
        }
        Client updated = transactor.inTransaction(tx -> {
            Instant now = clock.instant();
            ClientStore clients = tx.store(ClientStore.class);
            Client before = find(clients.findByIdForUpdate(clientId), clientId);
            ClientLifetimes lifetimes = lifetimesOf(before).with(changes.lifetimes())
                    .validate(maxAccessTokenTtl, field -> "client." + field);
            Client after = new Client(before.clientId(),
                    Objects.requireNonNullElse(changes.name(), before.name()), before.confidential(),
                    before.secretHash(),
                    Objects.requireNonNullElse(changes.audiences(), before.audiences()),
                    Objects.requireNonNullElse(changes.scopes(), before.scopes()),
                    Objects.requireNonNullElse(changes.permissions(), before.permissions()),
                    lifetimes.accessTokenTtl(), lifetimes.refreshInactivityTtl(), lifetimes.sessionMaxTtl(),
                    lifetimes.reuseGrace(), before.createdAt(), now,
                    Objects.requireNonNullElse(changes.disabled(), before.disabled()));
            checkAudiences(after.audiences(), after.confidential(), after.permissions());
            AdminAccess.checkRegistration(after.clientId(), after.audiences(), after.scopes());
            AdminClients.checkOneStaysComplete(tx, after);
            clients.update(after);
            Map<String, Object> was = new LinkedHashMap<>();
            Map<String, Object> is = new LinkedHashMap<>();
            describe(before, "", was);
            describe(after, "", is);
            Map<String, Object> details = new LinkedHashMap<>();
            is.forEach((field, value) -> {
                if (!Objects.equals(was.get(field), value)) {
                    details.put(field + "_before", was.get(field));
                    details.put(field + "_after", value);
                }
            });
            audit.record(tx, context, now, "client.update", "client", clientId, reason, details);
            return after;
        });
        changed.accept(clientId);
        return updated;
    }

    /** A new secret for a confidential client (FAILED_PRECONDITION for a public one); the old one stops working. */
    public ClientRegistration.Registered rotateSecret(String clientId, String reason, CallContext context) {
        ClientRegistration.Registered rotated = transactor.inTransaction(tx -> {
            Instant now = clock.instant();
            Client client = find(tx.store(ClientStore.class).findByIdForUpdate(clientId), clientId);
            if (!client.confidential()) {
                throw AuthorityException.failedPrecondition("a public client has no secret to rotate");
            }
            String secret = registration.rotateSecret(tx, clientId, now);
            audit.record(tx, context, now, "client.rotate_secret", "client", clientId, reason, Map.of());
            return new ClientRegistration.Registered(find(tx.store(ClientStore.class).findById(clientId), clientId),
                    secret);
        });
        changed.accept(clientId);
        return rotated;
    }

    /**
     * Revokes the client's active sessions (and with them their tokens, in the feed), deletes its
     * sessions, tokens and grants, then the client. Returns the feed sequence carrying the
     * revocations (0 when it had no active session).
     */
    public long delete(String clientId, String reason, CallContext context) {
        long sequence = transactor.inTransaction(tx -> {
            Instant now = clock.instant();
            ClientStore clients = tx.store(ClientStore.class);
            Client client = find(clients.findByIdForUpdate(clientId), clientId);
            AdminClients.checkOneRemainsAfterDeleting(tx, clientId);
            List<String> active = tx.store(SessionStore.class).findActiveIdsOfClient(clientId);
            RevocationResult revoked = revocations.revokeSessions(tx, context, active, reason,
                    "session.revoke_client_deleted", now);
            DeletedRows deleted = clients.deleteOwnedRows(clientId);
            clients.delete(clientId);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("confidential", client.confidential());
            describe(client, "_before", details);
            details.put("revoked_sessions", revoked.revokedSessions());
            details.put("deleted_sessions", deleted.sessions());
            details.put("deleted_refresh_tokens", deleted.refreshTokens());
            details.put("deleted_access_tokens", deleted.accessTokens());
            details.put("deleted_grants", deleted.grants());
            details.put("feed_sequence", revoked.feedSequence());
            audit.record(tx, context, now, "client.delete", "client", clientId, reason, details);
            return revoked.feedSequence();
        });
        changed.accept(clientId);
        return sequence;
    }

    private static ClientLifetimes lifetimesOf(Client c) {
        return new ClientLifetimes(c.accessTokenTtl(), c.refreshInactivityTtl(), c.sessionMaxTtl(), c.reuseGrace());
    }

    /** The audited fields of a client (never its secret hash), each name with {@code suffix}. */
    private static void describe(Client c, String suffix, Map<String, Object> into) {
        into.put("name" + suffix, c.name());
        into.put("audiences" + suffix, SpaceSeparated.join(c.audiences()));
        into.put("scopes" + suffix, SpaceSeparated.join(c.scopes()));
        into.put("permissions" + suffix, SpaceSeparated.join(c.permissions()));
        into.put("access_token_ttl" + suffix, c.accessTokenTtl().toString());
        into.put("refresh_inactivity_ttl" + suffix, c.refreshInactivityTtl().toString());
        into.put("session_max_ttl" + suffix, c.sessionMaxTtl().toString());
        into.put("reuse_grace" + suffix, c.reuseGrace().toString());
        into.put("disabled" + suffix, c.disabled());
    }

    private static void checkName(String name) {
        if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw AuthorityException.invalidArgument("client.name", "must be 1-" + MAX_NAME_LENGTH + " characters");
        }
    }

    /**
     * A client that users log in to needs an audience for their tokens. A confidential client that only uses its
     * permissions (a sidecar's, which subscribes to the feed; a backend's, which introspects) gets no token and needs
     * none; Login with it answers FAILED_PRECONDITION.
     */
    private static void checkAudiences(List<String> audiences, boolean confidential, List<String> permissions) {
        if (audiences.isEmpty() && (!confidential || permissions.isEmpty())) {
            throw AuthorityException.invalidArgument("client.audiences", "at least one audience is required, "
                    + "unless the client is confidential and holds a permission (e.g. feed:subscribe for a sidecar)");
        }
    }

    private static void checkPermissions(List<String> permissions) {
        for (String permission : permissions) {
            if (!KNOWN_PERMISSIONS.contains(permission)) {
                throw AuthorityException.invalidArgument("client.permissions", "unknown permission '" + permission
                        + "'; known: " + String.join(", ", KNOWN_PERMISSIONS.stream().sorted().toList()));
            }
        }
    }

    private static Client find(java.util.Optional<Client> client, String clientId) {
        return client.orElseThrow(() -> AuthorityException.notFound("client", clientId));
    }
}
