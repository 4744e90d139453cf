package dev.tokenauthority.authority.client;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.Transaction;
import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.access.AdminAccess;
import dev.tokenauthority.authority.access.Permission;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The two public clients that may obtain admin tokens (see {@link AdminAccess}): the web console
 * and {@code admin-cli} for grpcurl, generated stubs and scripts. Registered at start-up when
 * missing, so a fresh authority can be administered without a setup step; an admin may narrow
 * their scopes, change their lifetimes or disable them like any client's, as long as one of them
 * stays enabled with every admin scope.
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

    /**
     * Refuses a change that leaves no enabled admin client carrying every admin scope. Nobody could
     * then obtain the admin token that undoes it (a restart registers only missing clients), as
     * with the last administrator's own role. {@code after} is the changed client, not yet stored.
     */
    static void checkOneStaysComplete(Transaction tx, Client after) {
        checkOneStaysComplete(tx, after.clientId(), complete(after));
    }

    /** The same for a client about to be deleted. */
    static void checkOneRemainsAfterDeleting(Transaction tx, String clientId) {
        checkOneStaysComplete(tx, clientId, false);
    }

    private static void checkOneStaysComplete(Transaction tx, String clientId, boolean completeAfter) {
        if (!AdminAccess.isAdminClient(clientId) || completeAfter) {
            return;
        }
        ClientStore clients = tx.store(ClientStore.class);
        // The same row lock as start-up registration: two concurrent changes to the two admin
        // clients are serialised, so they cannot each see the other still complete.
        clients.lockForStartupRegistration();
        boolean another = SPECS.stream().map(ClientRegistration.Spec::clientId)
                .filter(id -> !id.equals(clientId))
                .map(clients::findById).flatMap(Optional::stream).anyMatch(AdminClients::complete);
        if (!another) {
            throw AuthorityException.failedPrecondition(clientId + " is the last enabled admin client with"
                    + " every admin scope " + Permission.allScopes() + ": without it no admin token could undo this");
        }
    }

    private static boolean complete(Client client) {
        return !client.disabled() && client.scopes().containsAll(Permission.allScopes());
    }

    public static void ensureRegistered(Transactions transactor, ClientRegistration registration, Clock clock) {
        transactor.inTransaction(tx -> {
            ClientStore clients = tx.store(ClientStore.class);
            // Replicas starting together serialise here; the first registers, the others see it.
            clients.lockForStartupRegistration();
            for (ClientRegistration.Spec spec : SPECS) {
                if (clients.findById(spec.clientId()).isEmpty()) {
                    registration.register(tx, spec, clock.instant());
                }
            }
            return null;
        });
    }
}
