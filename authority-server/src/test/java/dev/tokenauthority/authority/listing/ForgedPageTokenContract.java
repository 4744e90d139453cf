package dev.tokenauthority.authority.listing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.ListAuditEventsRequest;
import dev.tokenauthority.api.v1.ListClientsRequest;
import dev.tokenauthority.api.v1.ListGrantsRequest;
import dev.tokenauthority.api.v1.ListSessionsRequest;
import dev.tokenauthority.api.v1.ListTokensRequest;
import dev.tokenauthority.api.v1.ListUsersRequest;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every list RPC that takes a page_token answers a forged one (undecodable, not ours, or a genuine
 * one whose values were swapped for ones that do not fit the sort column) with INVALID_ARGUMENT
 * naming page_token, and logs nothing: no ERROR line, no stack trace. Both databases, as each checks
 * the types of bound values in its own way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ForgedPageTokenContract {

    abstract TestDatabase.Kind kind();

    AuthorityFixture fx;
    AdminServiceGrpc.AdminServiceBlockingStub admin;

    /** A list RPC called for one row per page: returns the next page's token. */
    interface Lister {
        String list(AdminServiceGrpc.AdminServiceBlockingStub admin, String pageToken);
    }

    /** What kind of values a listing's page tokens carry, which decides the forgeries that apply to it. */
    enum Sort { TIME, TEXT, NUMERIC_ID }

    record Listing(String name, Sort sort, Lister lister) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Forgery(String name, UnaryOperator<String> forge) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    void start() {
        fx = new AuthorityFixture(kind());
        for (int i = 0; i < 2; i++) {
            fx.login(AuthorityFixture.ALICE);
            fx.login(AuthorityFixture.BOB);
        }
        admin = fx.admin(fx.loginAdmin().getAccessToken());
    }

    @AfterAll
    void stop() throws Exception {
        fx.close();
    }

    static List<Listing> listings() {
        return List.of(
                new Listing("ListTokens by issued_at", Sort.TIME, (a, t) -> a.listTokens(ListTokensRequest.newBuilder()
                        .setOrderBy("issued_at desc").setPageSize(1).setPageToken(t).build()).getNextPageToken()),
                new Listing("ListTokens by user_email", Sort.TEXT, (a, t) -> a.listTokens(ListTokensRequest.newBuilder()
                        .setOrderBy("user_email").setPageSize(1).setPageToken(t).build()).getNextPageToken()),
                new Listing("ListSessions by login_at", Sort.TIME, (a, t) -> a.listSessions(ListSessionsRequest
                        .newBuilder().setOrderBy("login_at").setPageSize(1).setPageToken(t).build()).getNextPageToken()),
                new Listing("ListSessions by last_seen_at", Sort.TIME, (a, t) -> a.listSessions(ListSessionsRequest
                        .newBuilder().setOrderBy("last_seen_at desc").setPageSize(1).setPageToken(t).build())
                        .getNextPageToken()),
                new Listing("ListUsers", Sort.TEXT, (a, t) -> a.listUsers(ListUsersRequest.newBuilder().setPageSize(1)
                        .setPageToken(t).build()).getNextPageToken()),
                new Listing("ListClients", Sort.TEXT, (a, t) -> a.listClients(ListClientsRequest.newBuilder()
                        .setPageSize(1).setPageToken(t).build()).getNextPageToken()),
                new Listing("ListGrants", Sort.TEXT, (a, t) -> a.listGrants(ListGrantsRequest.newBuilder()
                        .setPageSize(1).setPageToken(t).build()).getNextPageToken()),
                new Listing("ListAuditEvents", Sort.NUMERIC_ID, (a, t) -> a.listAuditEvents(ListAuditEventsRequest
                        .newBuilder().setPageSize(1).setPageToken(t).build()).getNextPageToken()));
    }

    static String b64(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** A genuine token with its sort value and/or id replaced; the version and query fingerprint stay right. */
    static UnaryOperator<String> rewrite(String sortValue, String id) {
        return genuine -> {
            String[] parts = new String(Base64.getUrlDecoder().decode(genuine), StandardCharsets.UTF_8).split("\n", -1);
            return b64(parts[0] + "\n" + parts[1] + "\n" + (sortValue == null ? parts[2] : sortValue) + "\n"
                    + (id == null ? parts[3] : id));
        };
    }

    static List<Forgery> forgeries(Sort sort) {
        List<Forgery> forgeries = new ArrayList<>(List.of(
                new Forgery("not base64", t -> "%%%not-base64%%%"),
                new Forgery("base64 of garbage", t -> b64("garbage")),
                new Forgery("base64 JSON", t -> b64("{\"sort\":\"2026-01-01T00:00:00Z\",\"id\":\"x\"}")),
                new Forgery("base64 JSON, a string where the timestamp belongs",
                        t -> b64("{\"issued_at\":\"yesterday\",\"id\":1}")),
                new Forgery("a NUL in the id", rewrite(null, "tok\u0000en")),
                new Forgery("a NUL in the sort value", rewrite("a\u0000b", null)),
                new Forgery("an empty id", rewrite(null, "")),
                new Forgery("a 10,000-character sort value", rewrite("x".repeat(10_000), null)),
                new Forgery("a 10,000-character id", rewrite(null, "7".repeat(10_000)))));
        if (sort == Sort.TIME) {
            forgeries.add(new Forgery("a string where the timestamp belongs", rewrite("not-a-timestamp", null)));
            forgeries.add(new Forgery("a number where the timestamp belongs", rewrite("1733400000", null)));
            forgeries.add(new Forgery("a timestamp beyond the databases' range",
                    rewrite("+999999999-12-31T23:59:59Z", null)));
            forgeries.add(new Forgery("a timestamp before year 1", rewrite("-000001-01-01T00:00:00Z", null)));
        }
        if (sort == Sort.NUMERIC_ID) {
            forgeries.add(new Forgery("a string where the numeric id belongs", rewrite(null, "abc")));
            forgeries.add(new Forgery("an id beyond a long", rewrite(null, "99999999999999999999")));
        }
        return forgeries;
    }

    Stream<Arguments> cases() {
        return listings().stream().flatMap(listing -> forgeries(listing.sort()).stream()
                .map(forgery -> Arguments.of(listing, forgery)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void aForgedPageTokenIsInvalidArgumentNamingPageTokenAndLogsNothing(Listing listing, Forgery forgery) {
        String genuine = listing.lister().list(admin, "");
        assertThat(genuine).as("a second page exists").isNotEmpty();
        assertThat(listing.lister().list(admin, genuine)).as("the genuine token works").isNotNull();
        String forged = forgery.forge().apply(genuine);

        String log = capturingStandardError(() -> assertThatThrownBy(() -> listing.lister().list(admin, forged))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).startsWith("page_token");
                }));
        assertThat(log).doesNotContain("ERROR").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("listings")
    void aGenuineTokenOfAnotherOrderIsInvalidArgumentNamingPageToken(Listing listing) {
        String ofAnotherQuery = listings().stream().filter(other -> other != listing && !other.name().equals(listing.name()))
                .map(other -> other.lister().list(admin, "")).filter(t -> !t.isEmpty()).findFirst().orElseThrow();
        assertThatThrownBy(() -> listing.lister().list(admin, ofAnotherQuery))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).startsWith("page_token");
                });
    }

    @org.junit.jupiter.api.Test
    void theCaptureSeesWhatTheServerLogs() {
        String log = capturingStandardError(() -> org.slf4j.LoggerFactory.getLogger(ForgedPageTokenContract.class)
                .error("unexpected failure", new IllegalStateException("capture check")));
        assertThat(log).contains("ERROR").contains("IllegalStateException").contains("\tat ");
    }

    /** Runs {@code call} (in-process gRPC, direct executor: on this thread) with System.err captured; returns it. */
    static String capturingStandardError(Runnable call) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            call.run();
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        original.print(log);
        return log;
    }
}
