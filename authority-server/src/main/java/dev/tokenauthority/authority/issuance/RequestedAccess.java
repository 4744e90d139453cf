package dev.tokenauthority.authority.issuance;

import dev.tokenauthority.authority.client.Client;
import dev.tokenauthority.authority.error.AuthorityException;
import java.util.LinkedHashSet;
import java.util.List;

/** The scopes and audience a token will carry, resolved against what the client may request. */
public record RequestedAccess(List<String> scopes, List<String> audience) {

    /**
     * Empty requests mean "everything the client may have". Anything outside the client's
     * registration is refused rather than silently dropped, so a client learns of its mistake.
     */
    public static RequestedAccess resolve(Client client, List<String> requestedScopes, String requestedAudience) {
        List<String> scopes = requestedScopes.isEmpty()
                ? client.scopes()
                : List.copyOf(new LinkedHashSet<>(requestedScopes));
        for (String scope : scopes) {
            if (!client.scopes().contains(scope)) {
                throw AuthorityException.invalidArgument("scopes", "scope '" + scope + "' is not allowed for this client");
            }
        }
        List<String> audience;
        if (requestedAudience == null || requestedAudience.isEmpty()) {
            audience = client.audiences();
        } else if (client.audiences().contains(requestedAudience)) {
            audience = List.of(requestedAudience);
        } else {
            throw AuthorityException.invalidArgument("audience", "audience is not allowed for this client");
        }
        if (audience.isEmpty()) {
            throw AuthorityException.failedPrecondition("client has no audience configured");
        }
        return new RequestedAccess(scopes, audience);
    }
}
