package dev.tokenauthority.authority.tokens;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.Transaction;
import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.audit.CallContext;
import dev.tokenauthority.authority.revocation.RevocationResult;
import dev.tokenauthority.authority.revocation.Revocations;
import dev.tokenauthority.authority.settings.AuthoritySettings;
import dev.tokenauthority.authority.token.RefreshTokenStatus;
import dev.tokenauthority.authority.token.RefreshTokenStore;
import dev.tokenauthority.authority.token.SessionStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bulk revocation (BatchRevokeTokens), by ids or by filter, and its preview (validate_only).
 *
 * <p>Both go through {@link #plan}: the same read of the named or matching tokens and of their
 * sessions decides what a preview reports and what a revocation revokes, so a preview's count is
 * the count the call would act on at that moment. A revocation by filter of more than the setting
 * {@code bulk_revoke_confirm_above} must echo that count ({@code expectedCount}): the check reads
 * the plan it is about to carry out, in the transaction that carries it out, so a filter that grew
 * or shrank after the preview is refused before anything is written. The revocation then acts on
 * the plan's tokens only, never re-reading the filter: a token that comes to match it after the
 * read is not revoked (on PostgreSQL each statement sees its own snapshot, so a second read could
 * differ from the one checked).
 */
public final class BulkRevocation {

    /** The most tokens one BatchRevokeTokens may name or match; larger sweeps are split by the caller. */
    public static final int MAX_BATCH = 100_000;
    /** How many of the tokens a preview would revoke it shows. */
    public static final int SAMPLE_SIZE = 20;

    private final Transactions transactor;
    private final Revocations revocations;
    private final Clock clock;

    public BulkRevocation(Transactions transactor, Revocations revocations, Clock clock) {
        this.transactor = transactor;
        this.revocations = revocations;
        this.clock = clock;
    }

    /** Which tokens: the ids an administrator named, or every token matching a query. */
    public sealed interface Selection {
    }

    public record ByIds(List<String> tokenIds) implements Selection {
    }

    public record Matching(TokenQuery query) implements Selection {
    }

    /** What happened to each token of a bulk revocation. */
    public enum Outcome { REVOKED, ALREADY_REVOKED, NOT_FOUND }

    public record BatchResult(Map<String, Outcome> outcomes, long revokedCount, long feedSequence) {
    }

    /**
     * What a revocation would do now: the tokens it would revoke, their distinct sessions and users,
     * the tokens named or matched but dead already or unknown, and the first {@link #SAMPLE_SIZE}
     * tokens it would revoke.
     */
    public record Preview(long tokenCount, long sessionCount, long userCount, long alreadyRevokedCount,
            long notFoundCount, List<TokenListItem> sample) {
    }

    /**
     * Revokes the selected live tokens (ending their sessions) in one transaction: all or nothing.
     *
     * @param expectedCount the preview's token count, or null; when set, anything but exactly that
     *                      many tokens to revoke is refused, and a selection by filter of more than
     *                      {@code bulk_revoke_confirm_above} tokens requires it
     */
    public BatchResult revoke(Selection selection, Long expectedCount, String reason, CallContext context) {
        return transactor.inTransaction(tx -> {
            Plan plan = plan(tx, selection);
            requireConfirmed(tx, selection, plan, expectedCount);
            RevocationResult result = revocations.revokeRefreshTokens(tx, context, plan.sessionByToken(), reason,
                    clock.instant());
            return new BatchResult(plan.outcomes(), plan.revoked().size(), result.feedSequence());
        });
    }

    /**
     * What {@link #revoke} would do now, changing nothing and auditing nothing: like ListTokens, a
     * preview only reads.
     */
    public Preview preview(Selection selection) {
        return transactor.inTransaction(tx -> {
            Plan plan = plan(tx, selection);
            TokenSearch search = tx.store(TokenSearch.class);
            List<TokenListItem> sample = plan.revoked().keySet().stream().limit(SAMPLE_SIZE)
                    .map(id -> search.find(id).orElseThrow()).toList();
            Collection<Candidate> revoked = plan.revoked().values();
            return new Preview(revoked.size(), revoked.stream().map(Candidate::sessionId).distinct().count(),
                    revoked.stream().map(Candidate::userId).distinct().count(), plan.count(Outcome.ALREADY_REVOKED),
                    plan.count(Outcome.NOT_FOUND), sample);
        });
    }

    private void requireConfirmed(Transaction tx, Selection selection, Plan plan, Long expectedCount) {
        long count = plan.revoked().size();
        if (expectedCount == null) {
            long confirmAbove = AuthoritySettings.load(tx).bulkRevokeConfirmAbove();
            if (selection instanceof Matching && count > confirmAbove) {
                // The count is left out on purpose: the administrator reads it in a preview, with its sample.
                throw AuthorityException.failedPrecondition("this filter revokes more than " + confirmAbove
                        + " tokens (the setting bulk_revoke_confirm_above): preview it first (validate_only) and "
                        + "send the preview's token_count back as expected_count");
            }
        } else if (expectedCount != count) {
            throw AuthorityException.failedPrecondition("expected_count is " + expectedCount + " but the call would "
                    + "now revoke " + count + " tokens (they changed since the preview); nothing was revoked: "
                    + "preview again");
        }
    }

    /** A token a bulk revocation named or matched: its session, its user and its stored status. */
    private record Candidate(String sessionId, String userId, RefreshTokenStatus status) {
    }

    /**
     * What a bulk revocation decides: the outcome of every named or matched token (in the ids' order,
     * or by id for a filter), and the tokens to revoke, in the same order.
     */
    private record Plan(Map<String, Outcome> outcomes, Map<String, Candidate> revoked) {

        Map<String, String> sessionByToken() {
            Map<String, String> sessions = new LinkedHashMap<>();
            revoked.forEach((id, token) -> sessions.put(id, token.sessionId()));
            return sessions;
        }

        long count(Outcome outcome) {
            return outcomes.values().stream().filter(o -> o == outcome).count();
        }
    }

    /** The one read both a preview and a revocation decide by. */
    private Plan plan(Transaction tx, Selection selection) {
        if (selection instanceof ByIds byIds) {
            return planByIds(tx, byIds.tokenIds());
        }
        return planMatching(tx, ((Matching) selection).query());
    }

    private Plan planByIds(Transaction tx, List<String> tokenIds) {
        if (tokenIds.size() > MAX_BATCH) {
            throw AuthorityException.invalidArgument("token_ids", "at most " + MAX_BATCH + " per call");
        }
        List<String> ids = List.copyOf(new LinkedHashSet<>(tokenIds));
        Map<String, Candidate> stored = new HashMap<>();
        for (RefreshTokenStore.StoredStatus token : tx.store(RefreshTokenStore.class).findStatuses(ids)) {
            stored.put(token.id(), new Candidate(token.sessionId(), token.userId(), token.status()));
        }
        // Outcomes in the order the caller named the ids.
        Map<String, Candidate> found = new LinkedHashMap<>();
        ids.stream().filter(stored::containsKey).forEach(id -> found.put(id, stored.get(id)));
        return decide(tx, found, ids.stream().filter(id -> !stored.containsKey(id)).toList());
    }

    private Plan planMatching(Transaction tx, TokenQuery query) {
        Map<String, Candidate> found = new LinkedHashMap<>();
        tx.store(TokenSearch.class).forEach(query, clock.instant(), item -> {
            if (found.size() >= MAX_BATCH) {
                throw AuthorityException.invalidArgument("filter", "matches more than " + MAX_BATCH
                        + " tokens; narrow it");
            }
            var token = item.token();
            found.put(token.id(), new Candidate(token.sessionId(), token.userId(), token.status()));
        });
        return decide(tx, found, List.of());
    }

    private static Plan decide(Transaction tx, Map<String, Candidate> found, List<String> notFound) {
        Set<String> activeSessions = sessionsStillActive(tx, found.values());
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        Map<String, Candidate> revoked = new LinkedHashMap<>();
        found.forEach((id, token) -> {
            boolean live = switch (token.status()) {
                // A live row of a revoked session is one whose revocation lets it follow later.
                // A ROTATED token is dead itself, but naming it ends its family (a leaked token's
                // session), unless that has ended.
                case ACTIVE, SUSPENDED, ROTATED -> activeSessions.contains(token.sessionId());
                case REVOKED, EXPIRED -> false;
            };
            outcomes.put(id, live ? Outcome.REVOKED : Outcome.ALREADY_REVOKED);
            if (live) {
                revoked.put(id, token);
            }
        });
        notFound.forEach(id -> outcomes.put(id, Outcome.NOT_FOUND));
        return new Plan(outcomes, revoked);
    }

    /**
     * The sessions, of those the live and ROTATED candidates belong to, that are still ACTIVE. A
     * revocation leaves ROTATED tokens ROTATED, and one of many sessions leaves its live tokens'
     * rows to follow, so the session says whether such a token is revoked.
     */
    private static Set<String> sessionsStillActive(Transaction tx, Collection<Candidate> candidates) {
        List<String> sessions = candidates.stream()
                .filter(c -> c.status().isLive() || c.status() == RefreshTokenStatus.ROTATED)
                .map(Candidate::sessionId).distinct().toList();
        return sessions.isEmpty() ? Set.of() : new HashSet<>(tx.store(SessionStore.class).findActive(sessions));
    }
}
