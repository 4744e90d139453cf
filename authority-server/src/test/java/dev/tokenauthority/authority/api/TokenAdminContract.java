package dev.tokenauthority.authority.api;

import static dev.tokenauthority.authority.testing.Calls.codeOf;
import static dev.tokenauthority.authority.testing.Calls.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.BatchRevokeResult;
import dev.tokenauthority.api.v1.BatchRevokeTokensRequest;
import dev.tokenauthority.api.v1.DeleteTokenRequest;
import dev.tokenauthority.api.v1.ExportChunk;
import dev.tokenauthority.api.v1.ExportFormat;
import dev.tokenauthority.api.v1.ExportTokensRequest;
import dev.tokenauthority.api.v1.GetTokenRequest;
import dev.tokenauthority.api.v1.IntrospectRequest;
import dev.tokenauthority.api.v1.ListSessionsRequest;
import dev.tokenauthority.api.v1.ListTokensRequest;
import dev.tokenauthority.api.v1.ListTokensResponse;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.ResumeTokenRequest;
import dev.tokenauthority.api.v1.SuspendTokenRequest;
import dev.tokenauthority.api.v1.Token;
import dev.tokenauthority.api.v1.TokenDetails;
import dev.tokenauthority.api.v1.TokenFilter;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.TokenStatus;
import dev.tokenauthority.api.v1.UpdateTokenRequest;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.authority.token.RevocationLogStore;
import dev.tokenauthority.authority.token.RevocationLogStore.LogRow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Token and session administration through real gRPC, on H2 and PostgreSQL. */
abstract class TokenAdminContract {

    AuthorityFixture fx;
    AdminServiceGrpc.AdminServiceBlockingStub admin;

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void start() {
        fx = new AuthorityFixture(kind());
        admin = fx.admin(fx.loginAdmin().getAccessToken());
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }



    boolean isActive(String token) {
        return fx.auth().introspect(IntrospectRequest.newBuilder().setClientId(DemoData.SIDECAR_CLIENT)
                .setClientSecret(fx.sidecarSecret).setToken(token).build()).getActive();
    }

    List<Token> all(ListTokensRequest.Builder request) {
        List<Token> tokens = new ArrayList<>();
        String pageToken = "";
        do {
            ListTokensResponse page = admin.listTokens(request.setPageToken(pageToken).build());
            tokens.addAll(page.getTokensList());
            pageToken = page.getNextPageToken();
        } while (!pageToken.isEmpty());
        return tokens;
    }

    @Test
    void listingFindsTokensByEmailClientOrIdAndFiltersByStatus() {
        TokenPair alice = fx.login(AuthorityFixture.ALICE);
        TokenPair bob = fx.login(AuthorityFixture.BOB);
        fx.auth().refresh(RefreshRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                .setRefreshToken(bob.getRefreshToken()).build());

        ListTokensResponse byEmail = admin.listTokens(ListTokensRequest.newBuilder().setQuery("ALICE@").build());
        assertThat(byEmail.getTokensList()).extracting(Token::getTokenId).containsExactly(alice.getRefreshTokenId());
        assertThat(byEmail.getTotalSize()).isEqualTo(1);
        assertThat(byEmail.getTokens(0).getUserEmail()).isEqualTo(AuthorityFixture.ALICE);
        assertThat(admin.listTokens(ListTokensRequest.newBuilder().setQuery(bob.getRefreshTokenId()).build())
                .getTokensList()).extracting(Token::getTokenId).containsExactly(bob.getRefreshTokenId());

        List<Token> rotated = admin.listTokens(ListTokensRequest.newBuilder()
                .addStatuses(TokenStatus.TOKEN_STATUS_ROTATED).build()).getTokensList();
        assertThat(rotated).extracting(Token::getTokenId).containsExactly(bob.getRefreshTokenId());
        assertThat(admin.listTokens(ListTokensRequest.newBuilder().setQuery("demo-app")
                .addStatuses(TokenStatus.TOKEN_STATUS_ACTIVE).build()).getTotalSize()).isEqualTo(2); // alice, bob's new (the admin is on admin-cli)
        assertThat(admin.listTokens(ListTokensRequest.newBuilder().setQuery("demo-ap").build()).getTokensList())
                .as("client and token ids match whole").isEmpty();

        ListTokensResponse firstPage = admin.listTokens(ListTokensRequest.newBuilder().setPageSize(3).build());
        assertThat(firstPage.getTotalSize()).isEqualTo(4);
        assertThat(admin.listTokens(ListTokensRequest.newBuilder().setPageSize(3)
                .setPageToken(firstPage.getNextPageToken()).build()).getTotalSize())
                .as("counted on the first page only").isZero();

        fx.clock.advance(Duration.ofDays(8));
        assertThat(admin(fx).listTokens(ListTokensRequest.newBuilder().addStatuses(TokenStatus.TOKEN_STATUS_EXPIRED)
                .setUserId(fx.user(AuthorityFixture.ALICE).id()).build()).getTokens(0).getStatus())
                .isEqualTo(TokenStatus.TOKEN_STATUS_EXPIRED);
    }

    @Test
    void aQueryMatchingManyUsersFindsAllTheirTokens() {
        // More users than JdbiTokenSearch lists by id, so their email match becomes a subquery.
        fx.db.jdbi().useTransaction(tx -> {
            for (int i = 0; i < 120; i++) {
                tx.createUpdate("""
                        INSERT INTO users (id, email, email_normalized, password_hash, roles, disabled, created_at,
                                           updated_at)
                        VALUES (:id, :email, :email, 'not-a-hash', '', FALSE, :at, :at)
                        """).bind("id", "usr_crowd" + i).bind("email", "crowd" + i + "@example.com")
                        .bind("at", fx.clock.instant()).execute();
            }
        });
        fx.login(AuthorityFixture.ALICE);
        fx.login(AuthorityFixture.BOB);
        List<Token> everything = all(ListTokensRequest.newBuilder().setPageSize(2));
        List<Token> byDomain = all(ListTokensRequest.newBuilder().setQuery("EXAMPLE.com").setPageSize(2));
        assertThat(byDomain).isNotEmpty().isEqualTo(everything); // every demo user's email is @example.com
    }

    /** A fresh admin token (the earlier one may have expired when the clock moved). */
    static AdminServiceGrpc.AdminServiceBlockingStub admin(AuthorityFixture fx) {
        return fx.admin(fx.loginAdmin().getAccessToken());
    }

    @ParameterizedTest
    @ValueSource(strings = {"token_id", "user_email", "client_id", "issued_at", "last_used_at", "expires_at", "status"})
    void everyColumnSortsBothWaysAndPagesWithoutDuplicatesOrGaps(String column) {
        for (int i = 0; i < 7; i++) {
            fx.clock.advance(Duration.ofSeconds(1));
            fx.login(i % 2 == 0 ? AuthorityFixture.ALICE : AuthorityFixture.BOB);
        }
        for (String direction : List.of("asc", "desc")) {
            List<Token> paged = all(ListTokensRequest.newBuilder().setOrderBy(column + " " + direction).setPageSize(3));
            List<Token> whole = admin.listTokens(ListTokensRequest.newBuilder().setOrderBy(column + " " + direction)
                    .setPageSize(500).build()).getTokensList();
            assertThat(paged).hasSize(8).isEqualTo(whole);
            assertThat(new HashSet<>(paged)).hasSize(8);
        }
    }

    @Test
    void pagingStaysStableWhileNewTokensAreIssued() {
        for (int i = 0; i < 6; i++) {
            fx.clock.advance(Duration.ofSeconds(1));
            fx.login(AuthorityFixture.ALICE);
        }
        ListTokensRequest.Builder request = ListTokensRequest.newBuilder().setOrderBy("issued_at asc").setPageSize(2);
        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        String pageToken = "";
        do {
            ListTokensResponse page = admin.listTokens(request.setPageToken(pageToken).build());
            page.getTokensList().forEach(t -> {
                assertThat(seen.add(t.getTokenId())).as("no duplicates").isTrue();
                order.add(t.getTokenId());
            });
            fx.clock.advance(Duration.ofSeconds(1));
            fx.login(AuthorityFixture.BOB); // issued while paging: appears at the end, never shifts earlier pages
            pageToken = page.getNextPageToken();
        } while (!pageToken.isEmpty() && order.size() < 30);
        assertThat(order.size()).isGreaterThanOrEqualTo(7);
    }

    @Test
    void badListingRequestsNameTheField() {
        assertThat(failure(() -> admin.listTokens(ListTokensRequest.newBuilder().setOrderBy("secret_hash").build()))
                .getStatus().getDescription()).startsWith("order_by");
        assertThat(failure(() -> admin.listTokens(ListTokensRequest.newBuilder().setPageSize(501).build()))
                .getStatus().getDescription()).startsWith("page_size");
        Timestamp later = Timestamp.newBuilder().setSeconds(2_000_000_000L).build();
        Timestamp earlier = Timestamp.newBuilder().setSeconds(1_000_000_000L).build();
        assertThat(failure(() -> admin.listTokens(ListTokensRequest.newBuilder().setIssuedAfter(later)
                .setIssuedBefore(earlier).build())).getStatus().getDescription()).startsWith("issued_after");
        fx.login(AuthorityFixture.ALICE);
        fx.login(AuthorityFixture.BOB);
        String token = admin.listTokens(ListTokensRequest.newBuilder().setPageSize(1).build()).getNextPageToken();
        StatusRuntimeException other = failure(() -> admin.listTokens(ListTokensRequest.newBuilder().setPageSize(1)
                .setOrderBy("expires_at").setPageToken(token).build()));
        assertThat(other.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(other.getStatus().getDescription()).startsWith("page_token");
        assertThat(failure(() -> admin.listTokens(ListTokensRequest.newBuilder().setPageToken("%%%").build()))
                .getStatus().getDescription()).startsWith("page_token");
    }

    @Test
    void detailsShowTheSessionTheLatestAccessTokenAndTheAuditHistory() {
        TokenPair pair = fx.auth().login(dev.tokenauthority.api.v1.LoginRequest.newBuilder()
                .setClientId(DemoData.APP_CLIENT).setUsername(AuthorityFixture.ALICE).setPassword(DemoData.USER_PASSWORD)
                .setDevice(dev.tokenauthority.api.v1.Device.newBuilder().setUserAgent("Firefox/130").setName("laptop"))
                .build());
        admin.updateToken(UpdateTokenRequest.newBuilder().setToken(Token.newBuilder()
                .setTokenId(pair.getRefreshTokenId()).setNote("checked by support"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("note")).setReason("ticket 42").build());
        TokenDetails details = admin.getToken(GetTokenRequest.newBuilder().setTokenId(pair.getRefreshTokenId()).build());
        assertThat(details.getToken().getNote()).isEqualTo("checked by support");
        assertThat(details.getSession().getUserAgent()).isEqualTo("Firefox/130");
        assertThat(details.getSession().getDeviceName()).isEqualTo("laptop");
        assertThat(details.getSession().getIp()).isNotEmpty();
        assertThat(details.getScopesList()).containsExactly("read", "write");
        assertThat(details.getAudienceList()).containsExactly(DemoData.AUDIENCE);
        assertThat(details.getTokenHashPrefix()).hasSize(8);
        assertThat(details.getLatestAccessToken().getClaimsJson()).contains("\"sid\":\"" + pair.getSessionId() + "\"",
                "\"client_id\":\"demo-app\"");
        String[] jwt = pair.getAccessToken().split("\\.");
        assertThat(new String(java.util.Base64.getUrlDecoder().decode(jwt[1]), StandardCharsets.UTF_8))
                .isEqualTo(details.getLatestAccessToken().getClaimsJson());
        assertThat(details.getAuditEventsList()).extracting(e -> e.getAction())
                .contains("session.login", "refresh_token.update");
        assertThat(details.getAuditEventsList()).filteredOn(e -> e.getAction().equals("refresh_token.update"))
                .singleElement().satisfies(e -> {
                    assertThat(e.getReason()).isEqualTo("ticket 42");
                    assertThat(e.getActorEmail()).isEqualTo(DemoData.ADMIN_EMAIL);
                    assertThat(e.getDetailsJson()).contains("note_after", "checked by support");
                });
        assertThat(codeOf(() -> admin.getToken(GetTokenRequest.newBuilder().setTokenId("rt_nope").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void aSuspendedTokenCannotRefreshAndItsAccessTokensAreDeniedUntilResumed() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        Token suspended = admin.suspendToken(SuspendTokenRequest.newBuilder().setTokenId(pair.getRefreshTokenId())
                .setReason("investigating").build());
        assertThat(suspended.getStatus()).isEqualTo(TokenStatus.TOKEN_STATUS_SUSPENDED);
        assertThat(codeOf(() -> fx.auth().refresh(RefreshRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                .setRefreshToken(pair.getRefreshToken()).build()))).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(codeOf(() -> admin.suspendToken(SuspendTokenRequest.newBuilder()
                .setTokenId(pair.getRefreshTokenId()).build()))).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(admin.resumeToken(ResumeTokenRequest.newBuilder().setTokenId(pair.getRefreshTokenId()).build())
                .getStatus()).isEqualTo(TokenStatus.TOKEN_STATUS_ACTIVE);
        assertThat(fx.auth().refresh(RefreshRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                .setRefreshToken(pair.getRefreshToken()).build()).getSessionId()).isEqualTo(pair.getSessionId());
    }

    @Test
    void onlyRevokedOrExpiredTokensCanBeDeletedAndTheirAuditStays() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        assertThat(codeOf(() -> admin.deleteToken(DeleteTokenRequest.newBuilder().setTokenId(pair.getRefreshTokenId())
                .build()))).isEqualTo(Status.Code.FAILED_PRECONDITION);
        admin.batchRevokeTokens(BatchRevokeTokensRequest.newBuilder().addTokenIds(pair.getRefreshTokenId()).build());
        admin.deleteToken(DeleteTokenRequest.newBuilder().setTokenId(pair.getRefreshTokenId()).setReason("cleanup").build());
        assertThat(codeOf(() -> admin.getToken(GetTokenRequest.newBuilder().setTokenId(pair.getRefreshTokenId()).build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        List<dev.tokenauthority.authority.audit.AuditEvent> history = fx.authority.transactor().read(
                h -> h.store(dev.tokenauthority.authority.audit.AuditStore.class).findByTarget(pair.getRefreshTokenId()));
        assertThat(history).extracting(e -> e.action()).contains("refresh_token.revoke", "refresh_token.delete");
    }

    @Test
    void updatingExpiryStaysWithinTheSessionAndTheMaskIsChecked() {
        TokenPair pair = fx.login(AuthorityFixture.ALICE);
        Timestamp inAnHour = Timestamp.newBuilder().setSeconds(fx.clock.instant().plusSeconds(3600).getEpochSecond()).build();
        Token updated = admin.updateToken(UpdateTokenRequest.newBuilder().setToken(Token.newBuilder()
                .setTokenId(pair.getRefreshTokenId()).setExpiresAt(inAnHour).addTags("vip").addTags("beta"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("expires_at").addPaths("tags")).build());
        assertThat(updated.getExpiresAt()).isEqualTo(inAnHour);
        assertThat(updated.getTagsList()).containsExactly("vip", "beta");
        Timestamp beyond = Timestamp.newBuilder().setSeconds(fx.clock.instant().plus(Duration.ofDays(31)).getEpochSecond()).build();
        assertThat(failure(() -> admin.updateToken(UpdateTokenRequest.newBuilder().setToken(Token.newBuilder()
                .setTokenId(pair.getRefreshTokenId()).setExpiresAt(beyond))
                .setUpdateMask(FieldMask.newBuilder().addPaths("expires_at")).build())).getStatus().getDescription())
                .startsWith("token.expires_at");
        assertThat(failure(() -> admin.updateToken(UpdateTokenRequest.newBuilder().setToken(Token.newBuilder()
                .setTokenId(pair.getRefreshTokenId())).setUpdateMask(FieldMask.newBuilder().addPaths("status")).build()))
                .getStatus().getDescription()).startsWith("update_mask");
    }

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

    @ParameterizedTest
    @ValueSource(strings = {"CSV", "JSON_LINES"})
    void exportStreamsEveryMatchingToken(String format) {
        for (int i = 0; i < 5; i++) {
            fx.login(AuthorityFixture.ALICE);
        }
        Iterator<ExportChunk> chunks = admin.exportTokens(ExportTokensRequest.newBuilder()
                .setFilter(TokenFilter.newBuilder().setQuery("alice"))
                .setFormat(ExportFormat.valueOf("EXPORT_FORMAT_" + format)).build());
        StringBuilder out = new StringBuilder();
        chunks.forEachRemaining(c -> out.append(c.getData().toString(StandardCharsets.UTF_8)));
        String[] lines = out.toString().split("\r?\n");
        if (format.equals("CSV")) {
            assertThat(lines[0]).startsWith("token_id,user_id,user_email,client_id");
            assertThat(lines).hasSize(6);
        } else {
            assertThat(lines).hasSize(5).allSatisfy(l -> assertThat(l).startsWith("{\"token_id\":\"rt_")
                    .contains("\"user_email\":\"alice@example.com\""));
        }
    }

    @Test
    void sessionsListWithUserClientDeviceAndPaging() {
        fx.login(AuthorityFixture.ALICE);
        fx.clock.advance(Duration.ofSeconds(1));
        TokenPair bob = fx.login(AuthorityFixture.BOB);
        var page = admin.listSessions(ListSessionsRequest.newBuilder().setActiveOnly(true).setPageSize(2).build());
        assertThat(page.getTotalSize()).isEqualTo(3); // alice, bob, admin
        assertThat(page.getSessionsCount()).isEqualTo(2);
        assertThat(page.getNextPageToken()).isNotEmpty();
        var bobs = admin.listSessions(ListSessionsRequest.newBuilder().setQuery("bob@").build());
        assertThat(bobs.getSessionsList()).singleElement().satisfies(s -> {
            assertThat(s.getSessionId()).isEqualTo(bob.getSessionId());
            assertThat(s.getClientId()).isEqualTo(DemoData.APP_CLIENT);
            assertThat(s.getRefreshExpiresAt()).isEqualTo(bob.getRefreshTokenExpiresAt());
        });
        assertThat(failure(() -> admin.listSessions(ListSessionsRequest.newBuilder().setOrderBy("ip").build()))
                .getStatus().getDescription()).startsWith("order_by");
    }
}
