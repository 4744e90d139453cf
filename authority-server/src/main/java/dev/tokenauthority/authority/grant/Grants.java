package dev.tokenauthority.authority.grant;

import dev.tokenauthority.authority.SpaceSeparated;
import dev.tokenauthority.authority.crypto.Secrets;
import dev.tokenauthority.authority.storage.GrantDao;
import dev.tokenauthority.authority.storage.Tx;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Records which scopes a user has granted a client; a login widens the grant, never narrows it. */
public final class Grants {

    public void recordConsent(Tx handle, String userId, String clientId, List<String> scopes, Instant now) {
        GrantDao dao = handle.attach(GrantDao.class);
        Optional<Grant> existing = dao.find(userId, clientId);
        if (existing.isEmpty()) {
            dao.insert(Secrets.newId("gr_"), userId, clientId, SpaceSeparated.join(scopes), now);
            return;
        }
        Set<String> union = new LinkedHashSet<>(existing.get().scopes());
        if (union.addAll(scopes)) {
            dao.updateScopes(existing.get().id(), SpaceSeparated.join(List.copyOf(union)), now);
        }
    }
}
