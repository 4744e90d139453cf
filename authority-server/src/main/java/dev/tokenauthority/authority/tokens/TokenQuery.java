package dev.tokenauthority.authority.tokens;

import dev.tokenauthority.authority.token.RefreshTokenStatus;
import java.time.Instant;
import java.util.Set;

/**
 * Which refresh tokens an administrator means: the token list's search and filters. Null fields do
 * not filter. Statuses are as an administrator sees them: an ACTIVE token past its expiry is
 * EXPIRED.
 */
public record TokenQuery(String text, Set<RefreshTokenStatus> statuses, String userId, String clientId,
        String sessionId, Range issued, Range lastUsed, Range expires) {

    /** An open or closed time range: after &lt;= t &lt; before. */
    public record Range(Instant after, Instant before) {
        public static final Range ANY = new Range(null, null);

        public boolean isValid() {
            return after == null || before == null || after.isBefore(before);
        }
    }

    public static final TokenQuery ALL = new TokenQuery(null, Set.of(), null, null, null, Range.ANY, Range.ANY, Range.ANY);
}
