package dev.tokenauthority.authority.web;

import dev.tokenauthority.authority.client.ClientRegistration;
import dev.tokenauthority.authority.storage.ClientDao;
import dev.tokenauthority.authority.storage.Transactor;
import java.time.Clock;
import java.util.List;

/**
 * The public client the admin console signs in with. Registered when the web listener starts and
 * it is missing, so a fresh authority's console works without a setup step; an admin may edit its
 * lifetimes like any client's. Admin calls authorise by the user's roles, not by this client.
 */
public final class ConsoleClient {

    public static final String CLIENT_ID = "admin-console";
    public static final String AUDIENCE = "token-authority-admin";

    private ConsoleClient() {}

    public static void ensureRegistered(Transactor transactor, ClientRegistration registration, Clock clock) {
        transactor.inTransaction(h -> {
            if (h.attach(ClientDao.class).findById(CLIENT_ID).isEmpty()) {
                registration.register(h, new ClientRegistration.Spec(CLIENT_ID, "Admin console", false,
                        List.of(AUDIENCE), List.of("admin"), List.of()), clock.instant());
            }
            return null;
        });
    }
}
