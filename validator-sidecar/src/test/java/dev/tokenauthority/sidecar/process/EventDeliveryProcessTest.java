package dev.tokenauthority.sidecar.process;

import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_SESSION_REVOKED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.CreateEventReceiverRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.SetReceiver;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.sidecar.process.LoopbackCluster.AuthorityNode;
import dev.tokenauthority.sidecar.process.LoopbackCluster.SidecarNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revocation events across a real crash: an authority killed with SIGKILL while its receiver is
 * down loses none of the events it owed, and another authority on the same PostgreSQL database
 * delivers them, in order, once the dead one's lease expires. And a receiver that takes 10 s to
 * answer does not delay a sidecar's denial of the revoked token.
 */
class EventDeliveryProcessTest {

    /** The dead replica's lease (60 s) must expire before another takes its receiver. */
    private static final Duration TAKE_OVER_LIMIT = Duration.ofSeconds(120);
    private static final Pattern SESSION = Pattern.compile("\"session\":\\{[^}]*\"id\":\"([^\"]+)\"");

    @TempDir
    Path dir;

    private TestDatabase database;
    private LoopbackCluster cluster;
    private SetReceiver receiver;

    @BeforeEach
    void start() {
        database = TestDatabase.postgres();
        cluster = new LoopbackCluster(dir);
        receiver = new SetReceiver();
    }

    @AfterEach
    void stop() throws InterruptedException {
        try {
            receiver.close();
            cluster.close();
        } finally {
            database.close();
        }
    }

    private AuthorityNode authority(String name, boolean demo) throws Exception {
        List<String> flags = new ArrayList<>(List.of("--db-url", database.url(), "--db-user", database.user()));
        if (demo) {
            flags.add("--demo");
        }
        return cluster.startAuthority(name, ChildProcess.freePort(), dir.resolve(name), flags);
    }

    private static void register(AuthorityNode authority, String admin, String url) {
        AdminServiceGrpc.newBlockingStub(authority.channel()).withInterceptors(AuthorityFixture.bearer(admin))
                .createEventReceiver(CreateEventReceiverRequest.newBuilder().setEndpointUrl(url)
                        .setAudience("https://receiver.test").addEventTypes("session-revoked").build());
    }

    /** The session in a SET's complex subject (signatures are verified by EventDeliveryContract). */
    private static String sessionOf(String set) {
        String claims = new String(Base64.getUrlDecoder().decode(set.split("\\.")[1]), StandardCharsets.UTF_8);
        Matcher matcher = SESSION.matcher(claims);
        assertThat(matcher.find()).as("a session subject in %s", claims).isTrue();
        return matcher.group(1);
    }

    @Test
    void anAuthorityKilledWithEventsOwedLosesNoneAndAnotherDeliversThemInOrder() throws Exception {
        AuthorityNode first = authority("authority-1", true);
        String admin = first.adminToken();
        receiver.answer(503);
        register(first, admin, receiver.url());
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sessions.add(first.login(AuthorityFixture.ALICE).getSessionId());
            first.revokeSession(admin, sessions.get(i));
        }
        first.process.await(Duration.ofSeconds(30), "pushes refused", () -> receiver.requests().size() >= 2);

        first.process.kill();
        receiver.answer(202);
        AuthorityNode second = authority("authority-2", false);
        second.process.await(TAKE_OVER_LIMIT, "every event delivered by the other authority",
                () -> receiver.accepted().size() >= 5);
        Thread.sleep(1_500); // a duplicate would arrive within a poll
        assertThat(receiver.accepted().stream().map(EventDeliveryProcessTest::sessionOf).toList())
                .isEqualTo(sessions);
    }

    @Test
    void aReceiverTakingTenSecondsDoesNotDelayASidecarsDenial() throws Exception {
        AuthorityNode authority = authority("authority", true);
        SidecarNode sidecar = cluster.startSidecar("sidecar", authority.port, authority.sidecarSecretFile(), null,
                List.of());
        sidecar.awaitServing();
        String admin = authority.adminToken();
        receiver.delay(Duration.ofSeconds(10));
        register(authority, admin, receiver.url());
        TokenPair first = authority.login(AuthorityFixture.ALICE);
        authority.revokeSession(admin, first.getSessionId());
        authority.process.await(Duration.ofSeconds(10), "a push in progress", () -> receiver.mostAtOnce() >= 1);

        TokenPair second = authority.login(AuthorityFixture.BOB);
        assertThat(sidecar.validate(second.getAccessToken()).getValid()).isTrue();
        long started = System.nanoTime();
        authority.revokeSession(admin, second.getSessionId());
        sidecar.awaitDenial(second.getAccessToken(), DENIAL_REASON_SESSION_REVOKED, "the second revocation");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).as("revocation answered and denied at the sidecar").isLessThan(Duration.ofSeconds(2));
        assertThat(receiver.accepted()).as("the slow receiver still answering its first push").isEmpty();
    }
}
