package dev.tokenauthority.authority.client;

import dev.tokenauthority.authority.admin.AdminAccess;
import dev.tokenauthority.authority.admin.Permission;
import dev.tokenauthority.authority.storage.ClientDao;
import dev.tokenauthority.authority.storage.Transactor;
import java.time.Clock;
import java.util.List;

/**
 * The two public clients that may obtain admin tokens (see {@link AdminAccess}): the web console
 * and {@code admin-cli} for grpcurl, generated stubs and scripts. Registered at start-up when
 * missing, so a fresh authority can be administered without a setup step; an admin may narrow
 * their scopes, change their lifetimes or disable them like any client's.
 */
public final class AdminClients {

    private static final List<ClientRegistration.Spec> SPECS = List.of(
            spec(AdminAccess.CONSOLE_CLIENT, "Admin console"),
            spec(AdminAccess.CLI_CLIENT, "Admin command line"));

    private AdminClients() {}

    private static ClientRegistration.Spec spec(String clientId, String name) {
        return new ClientRegistration.Spec(clientId, name, false, List.of(AdminAccess.AUDIENCE),
                List.copyOf(Permission.allScopes()), List.of());
    }

    public static void ensureRegistered(Transactor transactor, ClientRegistration registration, Clock clock) {
        transactor.inTransaction(h -> {
            ClientDao clients = h.attach(ClientDao.class);
            // Replicas starting together serialise here; the first registers, the others see it.
            clients.lockForStartupRegistration();
            for (ClientRegistration.Spec spec : SPECS) {
                if (clients.findById(spec.clientId()).isEmpty()) {
                    registration.register(h, spec, clock.instant());
                }
            }
            return null;
        });
    }
}
