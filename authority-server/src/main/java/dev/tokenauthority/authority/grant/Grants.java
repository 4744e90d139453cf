package dev.tokenauthority.authority.grant;

import dev.tokenauthority.authority.SpaceSeparated;
import dev.tokenauthority.authority.Transaction;
import dev.tokenauthority.authority.crypto.Secrets;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Records which scopes a user has granted a client; a login widens the grant, never narrows it. */
public final class Grants {

    public void recordConsent(Transaction tx, String userId, String clientId, List<String> scopes, Instant now) {
        GrantStore grants = tx.store(GrantStore.class);
        Optional<Grant> existing = grants.find(userId, clientId);
        if (existing.isEmpty()) {
            grants.insert(Secrets.newId("gr_"), userId, clientId, SpaceSeparated.join(scopes), now);
            return;
        }
        Set<String> union = new LinkedHashSet<>(existing.get().scopes());
        if (union.addAll(scopes)) {
            grants.updateScopes(existing.get().id(), SpaceSeparated.join(List.copyOf(union)), now);
        }
    }
}
