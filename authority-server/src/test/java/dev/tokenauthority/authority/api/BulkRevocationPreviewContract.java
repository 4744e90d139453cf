package dev.tokenauthority.authority.api;

import static dev.tokenauthority.authority.testing.Calls.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.FieldMask;
import dev.tokenauthority.api.v1.BatchRevokePreview;
import dev.tokenauthority.api.v1.BatchRevokeResult;
import dev.tokenauthority.api.v1.BatchRevokeTokensRequest;
import dev.tokenauthority.api.v1.BatchRevokeTokensResponse;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.Settings;
import dev.tokenauthority.api.v1.Token;
import dev.tokenauthority.api.v1.TokenFilter;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.UpdateSettingsRequest;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.token.RevocationLogStore;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * BatchRevokeTokens' preview (validate_only) and the echoed count a large revocation by filter
 * needs, through real gRPC on H2 and PostgreSQL.
 */
abstract class BulkRevocationPreviewContract extends TokenAdminContractBase {

    @Test
    void aPreviewChangesNothingAndCountsTokensSessionsAndUsers() {
        TokenPair phone = fx.login(AuthorityFixture.ALICE);
        TokenPair laptop = fx.login(AuthorityFixture.ALICE);
        TokenPair bob = fx.login(AuthorityFixture.BOB);
        long feedBefore = lastFeedSequence();
        long auditBefore = auditEventCount();

        BatchRevokeTokensResponse response = admin.batchRevokeTokens(byClient(DemoData.APP_CLIENT)
                .setValidateOnly(true).build());

        BatchRevokePreview preview = response.getPreview();
        assertThat(preview.getTokenCount()).isEqualTo(3);
        assertThat(preview.getSessionCount()).isEqualTo(3);
        assertThat(preview.getUserCount()).isEqualTo(2);
        assertThat(preview.getSampleList()).extracting(Token::getTokenId).containsExactlyElementsOf(
                sortedIds(phone, laptop, bob));
        assertThat(preview.getSampleList()).extracting(Token::getUserEmail)
                .containsOnly(AuthorityFixture.ALICE, AuthorityFixture.BOB);
        assertThat(preview.getSampleList()).allSatisfy(t -> {
            assertThat(t.getClientId()).isEqualTo(DemoData.APP_CLIENT);
            assertThat(t.getSessionId()).isNotEmpty();
        });
        assertThat(response.getResultsList()).isEmpty();
        assertThat(response.getRevokedCount()).isZero();
        assertThat(response.getFeedSequence()).isZero();
        // Nothing changed: no feed entry, no audit event, and the tokens still refresh.
        assertThat(lastFeedSequence()).isEqualTo(feedBefore);
        assertThat(auditEventCount()).isEqualTo(auditBefore);
        for (TokenPair pair : List.of(phone, laptop, bob)) {
            assertThat(refresh(pair).getRefreshToken()).isNotEmpty();
        }
    }

    @Test
    void aPreviewCountsWhatTheRealCallThenRevokesAboveTheSessionRowsThreshold() {
        confirmAbove(100);
        String aliceId = fx.user(AuthorityFixture.ALICE).id();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 105; i++) {
            ids.add(fx.issueTo(aliceId).getRefreshTokenId());
        }
        // Named but dead already: counted apart, not in the sample.
        admin.batchRevokeTokens(BatchRevokeTokensRequest.newBuilder().addTokenIds(ids.remove(0)).build());
        BatchRevokeTokensRequest.Builder request = byUser(aliceId).setReason("offboarding");

        BatchRevokePreview preview = admin.batchRevokeTokens(request.clone().setValidateOnly(true).build()).getPreview();
        assertThat(preview.getTokenCount()).isEqualTo(104);
        assertThat(preview.getSessionCount()).isEqualTo(104);
        assertThat(preview.getUserCount()).isEqualTo(1);
        assertThat(preview.getAlreadyRevokedCount()).isEqualTo(1);
        assertThat(preview.getSampleList()).extracting(Token::getTokenId)
                .containsExactlyElementsOf(ids.stream().sorted().limit(20).toList());

        BatchRevokeTokensResponse revoked = admin.batchRevokeTokens(
                request.setExpectedCount(preview.getTokenCount()).build());
        assertThat(revoked.getRevokedCount()).isEqualTo(preview.getTokenCount());
        assertThat(revoked.getResultsList()).filteredOn(r -> r.getOutcome() == BatchRevokeResult.Outcome.OUTCOME_REVOKED)
                .extracting(BatchRevokeResult::getTokenId).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void aFilterOverTheThresholdWithoutTheCountIsRefusedAndRevokesNothing() {
        confirmAbove(2);
        List<TokenPair> pairs = List.of(fx.login(AuthorityFixture.ALICE), fx.login(AuthorityFixture.ALICE),
                fx.login(AuthorityFixture.ALICE));
        long feedBefore = lastFeedSequence();

        StatusRuntimeException refused = failure(() -> admin.batchRevokeTokens(byUser(aliceId()).build()));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(refused.getStatus().getDescription()).contains("validate_only", "expected_count",
                "bulk_revoke_confirm_above");
        assertThat(lastFeedSequence()).isEqualTo(feedBefore);
        assertThat(pairs).allSatisfy(pair -> assertThat(isActive(pair.getAccessToken())).isTrue());
        // The same filter with the preview's count goes through.
        long count = admin.batchRevokeTokens(byUser(aliceId()).setValidateOnly(true).build()).getPreview()
                .getTokenCount();
        assertThat(admin.batchRevokeTokens(byUser(aliceId()).setExpectedCount(count).build()).getRevokedCount())
                .isEqualTo(3);
        assertThat(pairs).allSatisfy(pair -> assertThat(isActive(pair.getAccessToken())).isFalse());
    }

    @Test
    void aStaleCountIsRefusedWithBothNumbersAndRevokesNothing() {
        confirmAbove(2);
        List<TokenPair> pairs = new ArrayList<>(List.of(fx.login(AuthorityFixture.ALICE),
                fx.login(AuthorityFixture.ALICE), fx.login(AuthorityFixture.ALICE)));
        long previewed = admin.batchRevokeTokens(byUser(aliceId()).setValidateOnly(true).build()).getPreview()
                .getTokenCount();
        pairs.add(fx.login(AuthorityFixture.ALICE)); // the filter grew after the preview
        long feedBefore = lastFeedSequence();
        long auditBefore = auditEventCount();

        StatusRuntimeException refused = failure(() -> admin.batchRevokeTokens(byUser(aliceId())
                .setExpectedCount(previewed).build()));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(refused.getStatus().getDescription()).contains("expected_count is 3", "revoke 4 tokens");
        assertThat(lastFeedSequence()).isEqualTo(feedBefore);
        assertThat(auditEventCount()).isEqualTo(auditBefore);
        assertThat(pairs).allSatisfy(pair -> assertThat(isActive(pair.getRefreshToken())).isTrue());
    }

    @Test
    void aFilterUpToTheThresholdNeedsNoCount() {
        confirmAbove(2);
        TokenPair a = fx.login(AuthorityFixture.ALICE);
        TokenPair b = fx.login(AuthorityFixture.ALICE);

        assertThat(admin.batchRevokeTokens(byUser(aliceId()).build()).getRevokedCount()).isEqualTo(2);
        assertThat(isActive(a.getAccessToken())).isFalse();
        assertThat(isActive(b.getAccessToken())).isFalse();
    }

    @Test
    void aPreviewByIdsCountsTheLiveTheDeadAndTheUnknownAndIdsNeedNoCount() {
        confirmAbove(0);
        TokenPair live = fx.login(AuthorityFixture.ALICE);
        TokenPair dead = fx.login(AuthorityFixture.BOB);
        admin.batchRevokeTokens(BatchRevokeTokensRequest.newBuilder().addTokenIds(dead.getRefreshTokenId()).build());
        BatchRevokeTokensRequest.Builder request = BatchRevokeTokensRequest.newBuilder()
                .addTokenIds(live.getRefreshTokenId()).addTokenIds(dead.getRefreshTokenId()).addTokenIds("rt_missing");
        long feedBefore = lastFeedSequence();

        BatchRevokePreview preview = admin.batchRevokeTokens(request.clone().setValidateOnly(true).build()).getPreview();

        assertThat(preview.getTokenCount()).isEqualTo(1);
        assertThat(preview.getAlreadyRevokedCount()).isEqualTo(1);
        assertThat(preview.getNotFoundCount()).isEqualTo(1);
        assertThat(preview.getSampleList()).singleElement().satisfies(t -> {
            assertThat(t.getTokenId()).isEqualTo(live.getRefreshTokenId());
            assertThat(t.getUserEmail()).isEqualTo(AuthorityFixture.ALICE);
            assertThat(t.getClientId()).isEqualTo(DemoData.APP_CLIENT);
        });
        assertThat(lastFeedSequence()).isEqualTo(feedBefore);
        assertThat(refresh(live).getRefreshToken()).isNotEmpty();
        // By ids, naming is confirming: no count needed whatever the threshold, but one given is checked.
        assertThat(failure(() -> admin.batchRevokeTokens(request.clone().setExpectedCount(2).build())).getStatus()
                .getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(admin.batchRevokeTokens(request.build()).getRevokedCount()).isEqualTo(1);
    }

    @Test
    void aNegativeExpectedCountIsRefusedNamingTheField() {
        StatusRuntimeException refused = failure(() -> admin.batchRevokeTokens(byUser(aliceId())
                .setExpectedCount(-1).build()));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refused.getStatus().getDescription()).contains("expected_count");
    }

    private void confirmAbove(long count) {
        admin.updateSettings(UpdateSettingsRequest.newBuilder()
                .setSettings(Settings.newBuilder().setBulkRevokeConfirmAbove(count))
                .setUpdateMask(FieldMask.newBuilder().addPaths("bulk_revoke_confirm_above")).build());
    }

    private String aliceId() {
        return fx.user(AuthorityFixture.ALICE).id();
    }

    private static BatchRevokeTokensRequest.Builder byUser(String userId) {
        return BatchRevokeTokensRequest.newBuilder().setFilter(TokenFilter.newBuilder().setUserId(userId));
    }

    private static BatchRevokeTokensRequest.Builder byClient(String clientId) {
        return BatchRevokeTokensRequest.newBuilder().setFilter(TokenFilter.newBuilder().setClientId(clientId));
    }

    private static List<String> sortedIds(TokenPair... pairs) {
        return java.util.Arrays.stream(pairs).map(TokenPair::getRefreshTokenId).sorted().toList();
    }

    private TokenPair refresh(TokenPair pair) {
        return fx.auth().refresh(RefreshRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                .setRefreshToken(pair.getRefreshToken()).build());
    }

    private long lastFeedSequence() {
        return fx.authority.transactor().read(tx -> tx.store(RevocationLogStore.class).lastSequence());
    }

    private long auditEventCount() {
        return fx.db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM audit_events").mapTo(Long.class).one());
    }
}
