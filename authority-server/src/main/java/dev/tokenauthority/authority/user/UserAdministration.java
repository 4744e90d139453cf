package dev.tokenauthority.authority.user;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.DeletedRows;
import dev.tokenauthority.authority.SpaceSeparated;
import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.access.Role;
import dev.tokenauthority.authority.audit.AuditLog;
import dev.tokenauthority.authority.audit.CallContext;
import dev.tokenauthority.authority.listing.PageCursor;
import dev.tokenauthority.authority.listing.Paging;
import dev.tokenauthority.authority.revocation.RevocationResult;
import dev.tokenauthority.authority.revocation.Revocations;
import dev.tokenauthority.authority.settings.AuthoritySettings;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * User administration: create, list, change roles, disable, enable, delete. Each change commits
 * together with its audit event (before and after) and, where it takes access away, with the
 * revocation of the user's tokens (a watermark the sidecars enforce).
 *
 * <p>An administrator cannot delete or disable their own account, nor remove their own admin
 * role: one slip would lock them out, and with the last admin gone nobody could repair it.
 */
public final class UserAdministration {

    private final Transactions transactor;
    private final UserAccounts accounts;
    private final Revocations revocations;
    private final AuditLog audit;
    private final Clock clock;

    public UserAdministration(Transactions transactor, UserAccounts accounts, Revocations revocations, AuditLog audit,
            Clock clock) {
        this.transactor = transactor;
        this.accounts = accounts;
        this.revocations = revocations;
        this.audit = audit;
        this.clock = clock;
    }

    /** One page of users by email, and how many match in all. */
    public record Page(List<User> users, String nextPageToken, long totalSize) {
    }

    public User create(String email, String password, List<String> roles, CallContext context) {
        List<String> known = knownRoles(roles);
        return transactor.inTransaction(tx -> {
            Instant now = clock.instant();
            User user = accounts.create(tx, email, password, known, now);
            audit.record(tx, context, now, "user.create", "user", user.id(), null,
                    Map.of("email", user.email(), "roles_after", SpaceSeparated.join(known)));
            return user;
        });
    }

    public User get(String userId) {
        return transactor.read(tx -> find(tx.store(UserStore.class).findById(userId), userId));
    }

    /** Users whose email contains {@code text} (null or blank: all), by email. */
    public Page list(String text, int pageSize, String pageToken) {
        int size = Paging.pageSize(pageSize);
        String query = text == null ? "" : text.trim();
        String fingerprint = Paging.fingerprint("users:" + query, "email asc");
        PageCursor cursor = PageCursor.decode(pageToken, fingerprint);
        return transactor.read(tx -> {
            UserStore users = tx.store(UserStore.class);
            Paging.Slice<User> slice = Paging.slice(users.findByEmailContaining(query, cursor, size + 1), size,
                    user -> User.normalizeEmail(user.email()), User::id, fingerprint);
            return new Page(slice.rows(), slice.nextPageToken(), users.countByEmailContaining(query));
        });
    }

    /**
     * Replaces the user's roles. When a role is removed and the setting says so (default on), the
     * user's tokens are revoked in the same transaction: permissions come from the database on
     * every admin call, but a resource server may have read roles from the token.
     */
    public User setRoles(String userId, List<String> roles, String reason, CallContext context) {
        List<String> after = knownRoles(roles);
        return transactor.inTransaction(tx -> {
            UserStore users = tx.store(UserStore.class);
            User before = find(users.findByIdForUpdate(userId), userId);
            // Taken after the lock: a watermark at or after the issue time of every token a login
            // committed before us (logins lock the same row).
            Instant now = clock.instant();
            Set<String> removed = new HashSet<>(before.roles());
            removed.removeAll(after);
            if (isSelf(context, userId) && removed.contains(Role.ADMIN.label())) {
                throw AuthorityException.failedPrecondition("you cannot remove your own admin role");
            }
            users.updateRoles(userId, SpaceSeparated.join(after), now);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("roles_before", SpaceSeparated.join(before.roles()));
            details.put("roles_after", SpaceSeparated.join(after));
            boolean revoke = !removed.isEmpty() && AuthoritySettings.load(tx).revokeOnRoleRemoval();
            details.put("tokens_revoked", revoke);
            audit.record(tx, context, now, "user.set_roles", "user", userId, reason, details);
            if (revoke) {
                revocations.revokeUser(tx, context, userId, reason, Revocations.USER_REVOKE_ON_ROLE_REMOVAL, now);
            }
            return find(users.findById(userId), userId);
        });
    }

    /** Disables the user and revokes their tokens; a disabled user can neither log in nor refresh. */
    public User disable(String userId, String reason, CallContext context) {
        if (isSelf(context, userId)) {
            throw AuthorityException.failedPrecondition("you cannot disable your own account");
        }
        return transactor.inTransaction(tx -> {
            UserStore users = tx.store(UserStore.class);
            User before = find(users.findByIdForUpdate(userId), userId);
            // Taken after the lock: a watermark at or after the issue time of every token a login
            // committed before us (logins lock the same row).
            Instant now = clock.instant();
            if (before.disabled()) {
                return before;
            }
            users.setDisabled(userId, true, now);
            audit.record(tx, context, now, "user.disable", "user", userId, reason, flagChange(false, true));
            revocations.revokeUser(tx, context, userId, reason, "user.revoke_tokens_on_disable", now);
            return find(users.findById(userId), userId);
        });
    }

    /** Enables the user again; tokens revoked when they were disabled stay revoked. */
    public User enable(String userId, String reason, CallContext context) {
        return transactor.inTransaction(tx -> {
            Instant now = clock.instant();
            UserStore users = tx.store(UserStore.class);
            User before = find(users.findByIdForUpdate(userId), userId);
            if (!before.disabled()) {
                return before;
            }
            users.setDisabled(userId, false, now);
            audit.record(tx, context, now, "user.enable", "user", userId, reason, flagChange(true, false));
            return find(users.findById(userId), userId);
        });
    }

    /**
     * Revokes everything of the user (watermark, sessions, refresh tokens; in the feed), then
     * deletes the user with their sessions, tokens and grants. The audit trail stays. Returns the
     * feed sequence carrying the revocation.
     */
    public long delete(String userId, String reason, CallContext context) {
        if (isSelf(context, userId)) {
            throw AuthorityException.failedPrecondition("you cannot delete your own account");
        }
        return transactor.inTransaction(tx -> {
            UserStore users = tx.store(UserStore.class);
            User user = find(users.findByIdForUpdate(userId), userId);
            // Taken after the lock: a watermark at or after the issue time of every token a login
            // committed before us (logins lock the same row).
            Instant now = clock.instant();
            RevocationResult revoked = revocations.revokeUser(tx, context, userId, reason, "user.revoke_tokens_on_delete",
                    now);
            DeletedRows deleted = users.deleteOwnedRows(userId);
            users.delete(userId);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("email", user.email());
            details.put("roles_before", SpaceSeparated.join(user.roles()));
            details.put("deleted_sessions", deleted.sessions());
            details.put("deleted_refresh_tokens", deleted.refreshTokens());
            details.put("deleted_access_tokens", deleted.accessTokens());
            details.put("deleted_grants", deleted.grants());
            details.put("feed_sequence", revoked.feedSequence());
            audit.record(tx, context, now, "user.delete", "user", userId, reason, details);
            return revoked.feedSequence();
        });
    }

    /** The roles, each known (an unknown one is INVALID_ARGUMENT naming roles), without duplicates. */
    static List<String> knownRoles(List<String> roles) {
        Set<String> result = new LinkedHashSet<>();
        for (String role : roles) {
            if (Role.of(role).isEmpty()) {
                throw AuthorityException.invalidArgument("roles", "unknown role '" + role + "'; known: viewer, operator, admin");
            }
            result.add(role);
        }
        return List.copyOf(result);
    }

    private static boolean isSelf(CallContext context, String userId) {
        return userId.equals(context.actor().id());
    }

    private static Map<String, Object> flagChange(boolean before, boolean after) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("disabled_before", before);
        details.put("disabled_after", after);
        return details;
    }

    private static User find(java.util.Optional<User> user, String userId) {
        return user.orElseThrow(() -> AuthorityException.notFound("user", userId));
    }
}
