package dev.tokenauthority.sidecar.validation;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The audiences a validator accepts tokens for: a fixed set (a token passes if its aud names any of them, RFC 7519
 * section 4.1.3), or, only when asked for by name, any audience at all. There is no default: a validator that checks
 * no audience accepts a token minted for every other service of the same authority, so that must be a choice.
 *
 * @param anyAudience true only for {@link #any()}
 * @param names the accepted audiences, compared as exact strings; empty only for {@link #any()}
 */
public record AcceptedAudiences(boolean anyAudience, Set<String> names) {

    public AcceptedAudiences {
        names = Set.copyOf(names);
        if (anyAudience != names.isEmpty()) {
            throw new IllegalArgumentException(anyAudience ? "any audience or a list of audiences, not both"
                    : "at least one audience is required (or accept any audience explicitly)");
        }
        for (String name : names) {
            if (name.isBlank() || !name.strip().equals(name)) {
                throw new IllegalArgumentException("audience must be non-empty without surrounding spaces: '" + name + "'");
            }
        }
    }

    /** Tokens for any audience; the request's audience, if it names one, is still checked. */
    public static AcceptedAudiences any() {
        return new AcceptedAudiences(true, Set.of());
    }

    /** Tokens whose aud names at least one of {@code names}. */
    public static AcceptedAudiences anyOf(Collection<String> names) {
        return new AcceptedAudiences(false, Set.copyOf(Objects.requireNonNull(names, "names")));
    }

    public static AcceptedAudiences anyOf(String... names) {
        return anyOf(List.of(names));
    }

    /**
     * Whether a token with {@code tokenAudiences} passes a request that requires {@code requested} (empty: none).
     * A requested audience narrows the check to itself and must be one this validator accepts: a caller cannot make
     * the sidecar vouch for an audience its operator did not configure.
     */
    boolean accept(List<String> tokenAudiences, String requested) {
        if (!requested.isEmpty()) {
            return (anyAudience || names.contains(requested)) && tokenAudiences.contains(requested);
        }
        if (anyAudience) {
            return true;
        }
        for (String audience : tokenAudiences) {
            if (names.contains(audience)) {
                return true;
            }
        }
        return false;
    }
}
