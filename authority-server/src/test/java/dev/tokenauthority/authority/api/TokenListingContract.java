package dev.tokenauthority.authority.api;

import static dev.tokenauthority.authority.testing.Calls.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.ExportChunk;
import dev.tokenauthority.api.v1.ExportFormat;
import dev.tokenauthority.api.v1.ExportTokensRequest;
import dev.tokenauthority.api.v1.ListSessionsRequest;
import dev.tokenauthority.api.v1.ListTokensRequest;
import dev.tokenauthority.api.v1.ListTokensResponse;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.Token;
import dev.tokenauthority.api.v1.TokenFilter;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.TokenStatus;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Listing tokens and sessions through real gRPC: search, filters, sorting, paging and export, on H2 and PostgreSQL. */
abstract class TokenListingContract extends TokenAdminContractBase {

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
