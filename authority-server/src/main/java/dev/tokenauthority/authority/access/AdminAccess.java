package dev.tokenauthority.authority.access;

import dev.tokenauthority.authority.AuthorityException;
import java.util.List;
import java.util.Set;

/**
 * The admin token model. Admin power comes only through access tokens issued for the authority's
 * own audience, {@value #AUDIENCE}, to one of the admin clients, carrying the admin scope of what
 * is asked ({@link Permission#scope()}); the user's roles, read from the database on every call,
 * must grant it too. A token of an admin user issued for any other audience opens nothing here,
 * so a resource server that receives one cannot replay it against the admin API (the audience
 * restriction of RFC 9068 section 4 and RFC 8707).
 *
 * <p>The audience and the admin scopes are reserved: only the admin clients may be registered
 * with them, and those clients with nothing else, so an admin token never also opens an
 * application's API and an application's token never carries admin scopes.
 */
public final class AdminAccess {

    /** The audience of admin access tokens. */
    public static final String AUDIENCE = "token-authority-admin";
    /** The public client the web console signs in with. */
    public static final String CONSOLE_CLIENT = "admin-console";
    /** The public client for grpcurl, generated stubs and scripts. */
    public static final String CLI_CLIENT = "admin-cli";

    private static final Set<String> ADMIN_CLIENTS = Set.of(CONSOLE_CLIENT, CLI_CLIENT);
    private static final Set<String> ADMIN_SCOPES = Permission.allScopes();

    private AdminAccess() {}

    public static boolean isAdminClient(String clientId) {
        return ADMIN_CLIENTS.contains(clientId);
    }

    /**
     * Whether the client signs in users whose roles grant no admin scope: the console does, for
     * their own sessions (AuthService's self-service calls, which need no admin scope), with a token
     * of the admin audience and no admin scope that every admin call refuses. {@value #CLI_CLIENT}
     * does not: a script has no use for such a token, and a user's application token serves the same
     * calls.
     */
    public static boolean signsInUsersWithoutAdminRole(String clientId) {
        return CONSOLE_CLIENT.equals(clientId);
    }

    public static boolean isAdminScope(String scope) {
        return ADMIN_SCOPES.contains(scope);
    }

    /**
     * Refuses a registration that would break the reservation: an admin client with another
     * audience or scope, or any other client with the admin audience or an admin scope.
     */
    public static void checkRegistration(String clientId, List<String> audiences, List<String> scopes) {
        boolean adminClient = isAdminClient(clientId);
        for (String audience : audiences) {
            if (adminClient != AUDIENCE.equals(audience)) {
                throw AuthorityException.invalidArgument("client.audiences", adminClient
                        ? "the admin client " + clientId + " may only have the audience " + AUDIENCE
                        : "the audience " + AUDIENCE + " is reserved for the admin clients " + CONSOLE_CLIENT
                                + " and " + CLI_CLIENT);
            }
        }
        for (String scope : scopes) {
            if (adminClient != isAdminScope(scope)) {
                throw AuthorityException.invalidArgument("client.scopes", adminClient
                        ? "the admin client " + clientId + " may only have admin scopes " + ADMIN_SCOPES
                        : "the scope " + scope + " is reserved for the admin clients");
            }
        }
    }
}
