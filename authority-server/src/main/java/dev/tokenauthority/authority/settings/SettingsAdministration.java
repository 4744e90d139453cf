package dev.tokenauthority.authority.settings;

import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.audit.AuditLog;
import dev.tokenauthority.authority.audit.CallContext;
import dev.tokenauthority.authority.token.ClientLifetimes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and changes the run-time settings. Only the settings an update names are written, so two
 * administrators changing different settings at once do not undo each other; the audit event
 * holds the before and after of each changed value.
 */
public final class SettingsAdministration {

    private final Transactions transactor;
    private final AuditLog audit;
    private final Duration maxAccessTokenTtl;
    private final Clock clock;

    public SettingsAdministration(Transactions transactor, AuditLog audit, Duration maxAccessTokenTtl, Clock clock) {
        this.transactor = transactor;
        this.audit = audit;
        this.maxAccessTokenTtl = maxAccessTokenTtl;
        this.clock = clock;
    }

    /** What UpdateSettings changes: each non-null field (lifetimes likewise inside {@code defaultLifetimes}). */
    public record SettingsChanges(Boolean refreshRevocationDeletesGrant, Boolean revokeOnRoleRemoval,
            ClientLifetimes defaultLifetimes, Long bulkRevokeConfirmAbove) {
    }

    public AuthoritySettings get() {
        return transactor.read(AuthoritySettings::load);
    }

    public AuthoritySettings update(SettingsChanges changes, String reason, CallContext context) {
        return transactor.inTransaction(tx -> {
            Instant now = clock.instant();
            AuthoritySettings before = AuthoritySettings.load(tx);
            ClientLifetimes lifetimes = before.defaultLifetimes().with(changes.defaultLifetimes())
                    .validate(maxAccessTokenTtl, field -> "settings.default_" + field);
            AuthoritySettings after = new AuthoritySettings(
                    Objects.requireNonNullElse(changes.refreshRevocationDeletesGrant(),
                            before.refreshRevocationDeletesGrant()),
                    Objects.requireNonNullElse(changes.revokeOnRoleRemoval(), before.revokeOnRoleRemoval()),
                    lifetimes.accessTokenTtl(), lifetimes.refreshInactivityTtl(), lifetimes.sessionMaxTtl(),
                    lifetimes.reuseGrace(),
                    Objects.requireNonNullElse(changes.bulkRevokeConfirmAbove(), before.bulkRevokeConfirmAbove()));
            Map<String, String> was = before.stored();
            Map<String, Object> details = new LinkedHashMap<>();
            SettingsStore settings = tx.store(SettingsStore.class);
            after.stored().forEach((name, value) -> {
                if (!value.equals(was.get(name))) {
                    settings.put(name, value, now);
                    details.put(name + "_before", was.get(name));
                    details.put(name + "_after", value);
                }
            });
            if (!details.isEmpty()) {
                audit.record(tx, context, now, "settings.update", "settings", "authority", reason, details);
            }
            return after;
        });
    }
}
