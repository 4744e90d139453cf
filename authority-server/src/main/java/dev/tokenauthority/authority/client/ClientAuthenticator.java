package dev.tokenauthority.authority.client;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.crypto.Secrets;
import java.util.Optional;

/**
 * Authenticates the calling client. Confidential clients must present their secret (compared
 * by hash in constant time); public clients must not present one. Every failure reads the same,
 * so a caller cannot probe which client ids exist.
 */
public final class ClientAuthenticator {

    private static final String FAILURE = "invalid client credentials";

    private final Transactions transactor;

    public ClientAuthenticator(Transactions transactor) {
        this.transactor = transactor;
    }

    public Client authenticate(String clientId, String clientSecret) {
        return transactor.read(tx -> authenticate(tx.store(ClientStore.class).findById(clientId), clientSecret));
    }

    /**
     * Authenticates a client row the caller has read itself ({@code found}, empty if the id is
     * unknown): a refresh reads it in the same query as the presented token, saving a round trip.
     */
    public Client authenticate(Optional<Client> found, String clientSecret) {
        if (found.isEmpty()) {
            // Spend the same hashing work as a real comparison.
            Secrets.matches(clientSecret == null ? "" : clientSecret, Secrets.hash("decoy"));
            throw AuthorityException.unauthenticated(FAILURE);
        }
        Client client = found.get();
        boolean secretGiven = clientSecret != null && !clientSecret.isEmpty();
        boolean ok = client.confidential()
                ? secretGiven && Secrets.matches(clientSecret, client.secretHash())
                : !secretGiven;
        if (!ok || client.disabled()) {
            throw AuthorityException.unauthenticated(FAILURE);
        }
        return client;
    }

    /** Authenticates a confidential client holding {@code permission}. */
    public Client authenticateWithPermission(String clientId, String clientSecret, String permission) {
        Client client = authenticate(clientId, clientSecret);
        if (!client.confidential()) {
            throw AuthorityException.permissionDenied("only confidential clients may call this method");
        }
        if (!client.hasPermission(permission)) {
            throw AuthorityException.permissionDenied("client lacks permission " + permission);
        }
        return client;
    }
}
