package dev.tokenauthority.authority.api;

import static dev.tokenauthority.authority.testing.Calls.codeOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.BatchRevokeResult;
import dev.tokenauthority.api.v1.BatchRevokeTokensRequest;
import dev.tokenauthority.api.v1.GetTokenRequest;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.TokenDetails;
import dev.tokenauthority.api.v1.TokenFilter;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.token.RevocationLogStore;
import dev.tokenauthority.authority.token.RevocationLogStore.LogRow;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Bulk revocation through real gRPC, by ids and by filter, with its feed entries and audit, on H2 and PostgreSQL. */
abstract class BulkRevocationContract extends TokenAdminContractBase {

    @Test
    void bulkRevocationByIdsIsIdempotentWithAResultPerId() {
        TokenPair a = fx.login(AuthorityFixture.ALICE);
        TokenPair b = fx.login(AuthorityFixture.BOB);
        BatchRevokeTokensRequest request = BatchRevokeTokensRequest.newBuilder().addTokenIds(a.getRefreshTokenId())
                .addTokenIds(b.getRefreshTokenId()).addTokenIds("rt_missing").setReason("incident 7").build();
        var first = admin.batchRevokeTokens(request);
        assertThat(first.getRevokedCount()).isEqualTo(2);
        assertThat(first.getResultsList()).extracting(BatchRevokeResult::getOutcome).containsExactly(
                BatchRevokeResult.Outcome.OUTCOME_REVOKED, BatchRevokeResult.Outcome.OUTCOME_REVOKED,
                BatchRevokeResult.Outcome.OUTCOME_NOT_FOUND);
        assertThat(isActive(a.getAccessToken())).isFalse();
        assertThat(isActive(b.getRefreshToken())).isFalse();
        var second = admin.batchRevokeTokens(request);
        assertThat(second.getRevokedCount()).isZero();
        assertThat(second.getResults(0).getOutcome()).isEqualTo(BatchRevokeResult.Outcome.OUTCOME_ALREADY_REVOKED);
        assertThat(codeOf(() -> admin.batchRevokeTokens(BatchRevokeTokensRequest.getDefaultInstance())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void bulkRevocationOfARotatedTokenEndsItsFamilyOnce() {
        TokenPair first = fx.login(AuthorityFixture.ALICE);
        TokenPair second = fx.auth().refresh(RefreshRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                .setRefreshToken(first.getRefreshToken()).build());
        BatchRevokeTokensRequest request = BatchRevokeTokensRequest.newBuilder()
                .addTokenIds(first.getRefreshTokenId()).setReason("leaked").build();
        assertThat(admin.batchRevokeTokens(request).getResults(0).getOutcome())
                .isEqualTo(BatchRevokeResult.Outcome.OUTCOME_REVOKED);
        assertThat(isActive(second.getRefreshToken())).isFalse();
        assertThat(admin.batchRevokeTokens(request).getResults(0).getOutcome())
                .isEqualTo(BatchRevokeResult.Outcome.OUTCOME_ALREADY_REVOKED);
    }

    @Test
    void bulkRevocationByFilterRevokesExactlyTheMatchingTokens() {
        TokenPair a1 = fx.login(AuthorityFixture.ALICE);
        TokenPair a2 = fx.login(AuthorityFixture.ALICE);
        TokenPair b = fx.login(AuthorityFixture.BOB);
        var result = admin.batchRevokeTokens(BatchRevokeTokensRequest.newBuilder().setFilter(TokenFilter.newBuilder()
                .setUserId(fx.user(AuthorityFixture.ALICE).id())).setReason("offboarding").build());
        assertThat(result.getRevokedCount()).isEqualTo(2);
        assertThat(result.getFeedSequence()).isPositive();
        assertThat(isActive(a1.getAccessToken())).isFalse();
        assertThat(isActive(a2.getRefreshToken())).isFalse();
        assertThat(isActive(b.getAccessToken())).isTrue();
    }

    @Test
    void bulkRevocationOfManySessionsLogsAndAuditsEachOneWithConsecutiveSequences() {
        String aliceId = fx.user(AuthorityFixture.ALICE).id();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1_100; i++) {
            ids.add(fx.issueTo(aliceId).getRefreshTokenId());
        }
        Collections.reverse(ids);
        var result = admin.batchRevokeTokens(BatchRevokeTokensRequest.newBuilder().addAllTokenIds(ids)
                .addTokenIds("rt_missing").setReason("incident 9").build());

        assertThat(result.getRevokedCount()).isEqualTo(1_100);
        assertThat(result.getResultsList()).extracting(BatchRevokeResult::getTokenId).startsWith(ids.get(0), ids.get(1))
                .endsWith("rt_missing");
        long last = result.getFeedSequence();
        var entries = fx.authority.transactor().read(h -> h.store(RevocationLogStore.class).findBetween(0, last, 5_000));
        var batch = entries.subList(entries.size() - 1_100, entries.size());
        assertThat(batch).extracting(LogRow::sequence).containsExactlyElementsOf(
                LongStream.rangeClosed(last - 1_099, last).boxed().toList());
        assertThat(batch).allSatisfy(e -> assertThat(e.kind()).isEqualTo("SESSION"));
        assertThat(batch).extracting(LogRow::subject).doesNotHaveDuplicates().doesNotContainNull();
        // One event per revoked token, naming the token and its session.
        var audited = fx.db.jdbi().withHandle(h -> h.createQuery(
                "SELECT target_type, target_id, details FROM audit_events WHERE reason = 'incident 9'")
                .map((rs, ctx) -> List.of(rs.getString("target_type"), rs.getString("target_id"), rs.getString("details")))
                .list());
        assertThat(audited).hasSize(1_100).allSatisfy(e -> assertThat(e.get(0)).isEqualTo("refresh_token"));
        assertThat(audited).extracting(e -> e.get(1)).containsExactlyInAnyOrderElementsOf(ids);
        TokenDetails first = admin.getToken(GetTokenRequest.newBuilder().setTokenId(audited.get(0).get(1)).build());
        assertThat(audited.get(0).get(2)).contains("\"session_id\":\"" + first.getToken().getSessionId() + "\"")
                .contains("\"feed_sequence\":" + last);
        assertThat(first.getAuditEventsList()).extracting(e -> e.getAction()).contains("refresh_token.revoke");
        assertThat(isActive(fx.issueTo(aliceId).getAccessToken())).isTrue();
    }
}
