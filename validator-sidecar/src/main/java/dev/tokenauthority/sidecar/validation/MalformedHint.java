package dev.tokenauthority.sidecar.validation;

import java.util.Locale;

/**
 * A hint for a MALFORMED denial whose cause shows in the request itself, for the developer wiring a service to its
 * sidecar: an empty token (a missing header), the header's "Bearer " prefix sent along, or something that is not a
 * JWT at all. It says nothing about a token that looks like a JWT: what is wrong inside one is for the reason code.
 */
public final class MalformedHint {

    private MalformedHint() {}

    /** The hint for {@code token}, or the empty string when its shape gives none. */
    public static String of(String token) {
        if (token.isEmpty()) {
            return "the token field is empty: send the access token from Login or Refresh (the Authorization "
                    + "header's value without \"Bearer \")";
        }
        if (token.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
            return "the token starts with \"Bearer \": send the token alone, without the prefix";
        }
        long dots = token.chars().filter(c -> c == '.').count();
        if (dots != 2) {
            return "not a JWT: an access token is three parts separated by dots, this has " + (dots + 1);
        }
        return "";
    }
}
