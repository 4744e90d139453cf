package dev.tokenauthority.authority.api;

import static dev.tokenauthority.authority.testing.Calls.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.CreateEventReceiverRequest;
import dev.tokenauthority.api.v1.DeleteEventReceiverRequest;
import dev.tokenauthority.api.v1.EventReceiver;
import dev.tokenauthority.api.v1.GetEventReceiverRequest;
import dev.tokenauthority.api.v1.GetJwksRequest;
import dev.tokenauthority.api.v1.ListEventReceiversRequest;
import dev.tokenauthority.api.v1.RevokeAllSessionsRequest;
import dev.tokenauthority.api.v1.RevokeSessionRequest;
import dev.tokenauthority.api.v1.RevokeUserTokensRequest;
import dev.tokenauthority.api.v1.SetUserRolesRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.audit.Actor;
import dev.tokenauthority.authority.audit.AuditLog;
import dev.tokenauthority.authority.audit.CallContext;
import dev.tokenauthority.authority.events.EventDelivery;
import dev.tokenauthority.authority.events.EventOutbox;
import dev.tokenauthority.authority.events.EventOutboxStore;
import dev.tokenauthority.authority.events.EventReceiverStore;
import dev.tokenauthority.authority.revocation.Revocations;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.Eventually;
import dev.tokenauthority.authority.testing.SetReceiver;
import dev.tokenauthority.authority.token.RevocationLog;
import dev.tokenauthority.authority.token.TokenPolicy;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Revocations pushed as Security Event Tokens to a real HTTP receiver on loopback, which verifies
 * every SET with the JWK set fetched from the authority; on H2 and PostgreSQL.
 */
abstract class EventDeliveryContract extends AuthApiContractBase {

    static final String AUDIENCE = "https://receiver.test";
    static final String AUTH_HEADER = "Bearer receiver-secret-123";
    static final String SESSION_REVOKED = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
    static final String CREDENTIAL_CHANGE = "https://schemas.openid.net/secevent/caep/event-type/credential-change";
    static final Duration WAIT = Duration.ofSeconds(20);

    SetReceiver receiver;
    String adminToken;

    @BeforeEach
    void startReceiver() {
        receiver = new SetReceiver();
        adminToken = fx.loginAdmin().getAccessToken();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    AdminServiceGrpc.AdminServiceBlockingStub admin(AuthorityFixture authority) {
        return authority.admin(adminToken);
    }

    EventReceiver register(String url, String... types) {
        return admin(fx).createEventReceiver(CreateEventReceiverRequest.newBuilder().setEndpointUrl(url)
                .setAudience(AUDIENCE).addAllEventTypes(List.of(types)).setAuthHeader(AUTH_HEADER).build());
    }

    EventReceiver status(String id) {
        return admin(fx).getEventReceiver(GetEventReceiverRequest.newBuilder().setId(id).build());
    }

    String revokeSession(AuthorityFixture authority, TokenPair pair) {
        admin(authority).revokeSession(RevokeSessionRequest.newBuilder().setSessionId(pair.getSessionId())
                .setReason("lost phone").build());
        return pair.getSessionId();
    }

    /** The SET verified as a receiver must: signature by the authority's JWK set, typ, iss, aud, jti, iat. */
    JwtClaims verify(String set) throws Exception {
        String jwks = fx.keys().getJwks(GetJwksRequest.getDefaultInstance()).getJwksJson();
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.EDDSA)
                .setExpectedType(true, "secevent+jwt")
                .setExpectedIssuer(AuthorityFixture.ISSUER)
                .setExpectedAudience(AUDIENCE)
                .setRequireJwtId()
                .setRequireIssuedAt()
                .build();
        return consumer.processToClaims(set);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> subject(JwtClaims claims) {
        return (Map<String, Object>) claims.getClaimsMap().get("sub_id");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> event(JwtClaims claims, String type) {
        Map<String, Object> events = (Map<String, Object>) claims.getClaimsMap().get("events");
        assertThat(events).containsOnlyKeys(type);
        return (Map<String, Object>) events.get(type);
    }

    @SuppressWarnings("unchecked")
    static String sessionOf(JwtClaims claims) {
        return (String) ((Map<String, Object>) subject(claims).get("session")).get("id");
    }

    List<JwtClaims> acceptedClaims() throws Exception {
        List<JwtClaims> claims = new ArrayList<>();
        for (String set : receiver.accepted()) {
            claims.add(verify(set));
        }
        return claims;
    }

    void awaitAccepted(int count) {
        Eventually.until(WAIT, count + " SETs accepted", () -> receiver.accepted().size() >= count,
                () -> "received " + receiver.requests().size() + ", backlog " + fx.authority.eventDelivery().backlog());
    }

    @Test
    void everyKindOfRevocationArrivesAsASignedSecurityEventInOrder() throws Exception {
        EventReceiver registered = register(receiver.url(), "session-revoked", "credential-change");
        assertThat(registered.getAuthHeaderSet()).isTrue();
        assertThat(registered.toString()).doesNotContain("receiver-secret");
        String alice = fx.user(AuthorityFixture.ALICE).id();
        String bob = fx.user(AuthorityFixture.BOB).id();
        String carol = fx.createUser("carol@example.com", List.of("viewer")).id();
        String session = revokeSession(fx, fx.login(AuthorityFixture.ALICE));
        admin(fx).revokeUserTokens(RevokeUserTokensRequest.newBuilder().setUserId(bob).setReason("force logout").build());
        admin(fx).setUserRoles(SetUserRolesRequest.newBuilder().setUserId(carol).setReason("left the team").build());
        admin(fx).revokeAllSessions(RevokeAllSessionsRequest.newBuilder().setReason("incident")
                .setConfirm("REVOKE ALL SESSIONS").build());
        fx.clock.advance(Duration.ofMillis(1)); // a session begun at the watermark is dead too
        adminToken = fx.loginAdmin().getAccessToken(); // the emergency revocation ended the admin's session too

        awaitAccepted(4);
        List<JwtClaims> sets = acceptedClaims();
        assertThat(subject(sets.get(0))).isEqualTo(Map.of("format", "complex",
                "user", Map.of("format", "opaque", "id", alice), "session", Map.of("format", "opaque", "id", session)));
        assertThat(event(sets.get(0), SESSION_REVOKED)).containsEntry("reason_admin", Map.of("en", "lost phone"))
                .containsKey("event_timestamp");
        assertThat(subject(sets.get(1))).isEqualTo(Map.of("format", "opaque", "id", bob));
        assertThat(event(sets.get(1), SESSION_REVOKED)).containsEntry("reason_admin", Map.of("en", "force logout"));
        assertThat(subject(sets.get(2))).isEqualTo(Map.of("format", "opaque", "id", carol));
        assertThat(event(sets.get(2), CREDENTIAL_CHANGE)).containsEntry("change_type", "revoke");
        assertThat(subject(sets.get(3))).isEqualTo(Map.of("format", "uri", "uri", AuthorityFixture.ISSUER));
        event(sets.get(3), SESSION_REVOKED);
        assertThat(sets.stream().map(c -> (Object) c.getClaimsMap().get("jti")).distinct()).hasSize(4);

        SetReceiver.Received first = receiver.requests().get(0);
        assertThat(first.contentType()).isEqualTo("application/secevent+jwt");
        assertThat(first.accept()).isEqualTo("application/json");
        assertThat(first.authorization()).isEqualTo(AUTH_HEADER);
        // The receiver records a push before it answers, so the status follows a moment later.
        Eventually.until(WAIT, "the status shows every event delivered", () -> status(registered.getId()).getStatus()
                .getPending() == 0);
        EventReceiver after = status(registered.getId());
        assertThat(after.getStatus().hasLastSuccessAt()).isTrue();
        assertThat(after.getStatus().getConsecutiveFailures()).isZero();
        // The header is kept sealed, never in clear.
        var stored = fx.authority.transactor().read(tx -> tx.store(EventReceiverStore.class)
                .findById(registered.getId())).orElseThrow();
        assertThat(stored.authHeader().ciphertext()).doesNotContain("receiver-secret");
    }

    @Test
    void aReceiverOnlyGetsTheEventTypesItAskedFor() throws Exception {
        register(receiver.url(), "credential-change");
        String carol = fx.createUser("carol@example.com", List.of("viewer")).id();
        revokeSession(fx, fx.login(AuthorityFixture.ALICE));
        admin(fx).setUserRoles(SetUserRolesRequest.newBuilder().setUserId(carol).build());
        awaitAccepted(1);
        Thread.sleep(500);
        assertThat(receiver.requests()).hasSize(1);
        event(verify(receiver.accepted().get(0)), CREDENTIAL_CHANGE);
    }

    @Test
    void aReceiverThatIsDownGetsEverythingOnceAndInOrderWhenItComesBack() throws Exception {
        receiver.answer(503);
        EventReceiver registered = register(receiver.url(), "session-revoked");
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sessions.add(revokeSession(fx, fx.login(AuthorityFixture.ALICE)));
        }
        Eventually.until(WAIT, "two failures in a row", () -> status(registered.getId()).getStatus()
                .getConsecutiveFailures() >= 2);
        EventReceiver failing = status(registered.getId());
        assertThat(failing.getStatus().getPending()).isEqualTo(3);
        assertThat(failing.getStatus().getLastFailureReason()).isEqualTo("HTTP 503");
        assertThat(receiver.accepted()).isEmpty();

        receiver.answer(202);
        awaitAccepted(3);
        assertThat(acceptedClaims().stream().map(EventDeliveryContract::sessionOf).toList()).isEqualTo(sessions);
        Eventually.until(WAIT, "nothing pending", () -> status(registered.getId()).getStatus().getPending() == 0);
        Thread.sleep(300);
        assertThat(receiver.accepted()).hasSize(3);
        assertThat(status(registered.getId()).getStatus().getConsecutiveFailures()).isZero();
    }

    @Test
    void aReceiverNobodyListensAtIsRetriedAndItsFailureReported() {
        String url = receiver.url();
        receiver.close();
        EventReceiver registered = register(url, "session-revoked");
        revokeSession(fx, fx.login(AuthorityFixture.ALICE));
        Eventually.until(WAIT, "a failure", () -> status(registered.getId()).getStatus().getConsecutiveFailures() >= 1);
        assertThat(status(registered.getId()).getStatus().getLastFailureReason()).contains("ConnectException");
        assertThat(status(registered.getId()).getStatus().getPending()).isEqualTo(1);
    }

    @Test
    void anEventTheReceiverRefusesIsRecordedAndTheNextStillGoes() throws Exception {
        receiver.answer(400);
        EventReceiver registered = register(receiver.url(), "session-revoked");
        revokeSession(fx, fx.login(AuthorityFixture.ALICE));
        Eventually.until(WAIT, "the refusal recorded", () -> status(registered.getId()).getStatus().hasLastFailureAt());
        EventReceiver refused = status(registered.getId());
        assertThat(refused.getStatus().getLastFailureReason()).contains("refused").contains("invalid_request");
        assertThat(refused.getStatus().getPending()).isZero();
        receiver.answer(202);
        String next = revokeSession(fx, fx.login(AuthorityFixture.ALICE));
        awaitAccepted(1);
        assertThat(sessionOf(verify(receiver.accepted().get(0)))).isEqualTo(next);
        assertThat(receiver.requests()).hasSize(2);
    }

    @Test
    void anEventOlderThanTheMaxAgeIsDroppedAndReported() throws Exception {
        receiver.answer(503);
        fx.authority.eventDelivery().maxAge(Duration.ofMinutes(1));
        EventReceiver registered = register(receiver.url(), "session-revoked");
        revokeSession(fx, fx.login(AuthorityFixture.ALICE));
        Eventually.until(WAIT, "a failure", () -> status(registered.getId()).getStatus().getConsecutiveFailures() >= 1);
        fx.clock.advance(Duration.ofMinutes(2));
        Eventually.until(WAIT, "the event dropped", () -> status(registered.getId()).getStatus().getPending() == 0);
        assertThat(status(registered.getId()).getStatus().getLastFailureReason()).contains("expired");
        receiver.answer(202);
        String later = revokeSession(fx, fx.login(AuthorityFixture.ALICE));
        awaitAccepted(1);
        assertThat(receiver.accepted()).hasSize(1);
        assertThat(sessionOf(verify(receiver.accepted().get(0)))).isEqualTo(later);
    }

    @Test
    void aRevocationThatRollsBackPushesNothing() throws Exception {
        register(receiver.url(), "session-revoked");
        TokenPair doomed = fx.login(AuthorityFixture.ALICE);
        Revocations revocations = new Revocations(new RevocationLog(rows -> { }), new AuditLog(),
                TokenPolicy.withIssuer(AuthorityFixture.ISSUER), fx.clock, fx.authority.sessionRows(),
                new EventOutbox(fx.authority.eventDelivery()::wake));
        RuntimeException failed = new RuntimeException("the transaction fails after the revocation");
        try {
            fx.authority.transactor().useTransaction(tx -> {
                revocations.revokeSession(tx, new CallContext(null, Actor.system()), doomed.getSessionId(), "r", "session.revoke",
                        fx.clock.instant());
                assertThat(tx.store(EventOutboxStore.class).backlog()).isEqualTo(1); // written, inside
                throw failed;
            });
        } catch (RuntimeException e) {
            assertThat(e).isSameAs(failed);
        }
        assertThat(fx.authority.eventDelivery().backlog()).isZero();
        String committed = revokeSession(fx, fx.login(AuthorityFixture.BOB));
        awaitAccepted(1);
        Thread.sleep(300);
        assertThat(receiver.requests()).hasSize(1);
        assertThat(sessionOf(verify(receiver.accepted().get(0)))).isEqualTo(committed);
    }

    @Test
    void aReceiverTakingTenSecondsDelaysNeitherTheRevocationNorTheFeed() throws Exception {
        receiver.delay(Duration.ofSeconds(10));
        register(receiver.url(), "session-revoked");
        revokeSession(fx, fx.login(AuthorityFixture.ALICE));
        Eventually.until(WAIT, "a push in progress", () -> receiver.mostAtOnce() >= 1);
        TokenPair next = fx.login(AuthorityFixture.BOB);
        long started = System.nanoTime();
        var result = admin(fx).revokeSession(RevokeSessionRequest.newBuilder().setSessionId(next.getSessionId())
                .build());
        Eventually.until(Duration.ofSeconds(2), "the feed published the revocation",
                () -> fx.authority.feed().publishedSequence() >= result.getFeedSequence());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(introspect(next.getAccessToken()).getActive()).isFalse();
    }

    @Test
    void anAuthorityClosedMidDeliveryLosesNothingAndAnotherCarriesOnInOrder() throws Exception {
        receiver.answer(503);
        register(receiver.url(), "session-revoked");
        AuthorityFixture second = AuthorityFixture.reopen(fx.database, fx.keks);
        try {
            List<String> sessions = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                sessions.add(revokeSession(fx, fx.login(AuthorityFixture.ALICE)));
            }
            Eventually.until(WAIT, "attempts", () -> receiver.requests().size() >= 2);
            fx.authority.eventDelivery().close(); // mid-delivery: its lease is left behind, as by a crash
            receiver.answer(202);
            // The dead replica's lease expires; the other takes over from the first event not delivered.
            second.clock.advance(EventDelivery.LEASE.plusSeconds(1));
            awaitAccepted(3);
            assertThat(acceptedClaims().stream().map(EventDeliveryContract::sessionOf).toList()).isEqualTo(sessions);
        } finally {
            second.close();
        }
    }

    @Test
    void twoReplicasDeliverEachEventOnceOneAtATime() throws Exception {
        receiver.delay(Duration.ofMillis(20));
        register(receiver.url(), "session-revoked");
        AuthorityFixture second = AuthorityFixture.reopen(fx.database, fx.keks);
        try {
            List<String> sessions = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                sessions.add(revokeSession(i % 2 == 0 ? fx : second, fx.login(AuthorityFixture.ALICE)));
            }
            awaitAccepted(12);
            Thread.sleep(1_500); // a duplicate would arrive within a poll
            List<String> delivered = acceptedClaims().stream().map(EventDeliveryContract::sessionOf).toList();
            assertThat(delivered).isEqualTo(sessions);
            assertThat(new HashSet<>(receiver.accepted())).hasSize(12);
            assertThat(receiver.mostAtOnce()).isEqualTo(1);
        } finally {
            second.close();
        }
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        assertInvalid(request("http://receiver.example.com/events", "x", "session-revoked"), "endpoint_url");
        assertInvalid(request("ftp://127.0.0.1/events", "x", "session-revoked"), "endpoint_url");
        assertInvalid(request("", "x", "session-revoked"), "endpoint_url");
        assertInvalid(request(receiver.url(), " ", "session-revoked"), "audience");
        assertInvalid(request(receiver.url(), "x", "session-expired"), "event_types");
        assertInvalid(request(receiver.url(), "x"), "event_types");
        assertThat(admin(fx).createEventReceiver(request("https://receiver.example.com/events", "x",
                "session-revoked")).getEndpointUrl()).isEqualTo("https://receiver.example.com/events");
        assertThat(failure(() -> admin(fx).getEventReceiver(GetEventReceiverRequest.newBuilder().setId("evr_nope")
                .build())).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(failure(() -> admin(fx).deleteEventReceiver(DeleteEventReceiverRequest.newBuilder()
                .setId("evr_nope").build())).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        StatusRuntimeException denied = failure(() -> fx.admin(fx.adminTokenOfRole("viewer"))
                .createEventReceiver(request(receiver.url(), "x", "session-revoked")));
        assertThat(denied.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    }

    @Test
    void aDeletedReceiverIsNoLongerListedNorSentTo() throws Exception {
        receiver.answer(503);
        EventReceiver registered = register(receiver.url(), "session-revoked");
        assertThat(admin(fx).listEventReceivers(ListEventReceiversRequest.getDefaultInstance()).getReceiversList())
                .extracting(EventReceiver::getId).containsExactly(registered.getId());
        revokeSession(fx, fx.login(AuthorityFixture.ALICE));
        Eventually.until(WAIT, "a failed push", () -> !receiver.requests().isEmpty());
        admin(fx).deleteEventReceiver(DeleteEventReceiverRequest.newBuilder().setId(registered.getId()).build());
        assertThat(admin(fx).listEventReceivers(ListEventReceiversRequest.getDefaultInstance()).getReceiversList())
                .isEmpty();
        assertThat(fx.authority.eventDelivery().backlog()).isZero();
        Thread.sleep(500); // a push under way when it was deleted may still arrive (see the README)
        int before = receiver.requests().size();
        revokeSession(fx, fx.login(AuthorityFixture.ALICE));
        Thread.sleep(1_500); // retries come within 250 ms, a poll within a second
        assertThat(receiver.requests()).hasSize(before);
    }

    private static CreateEventReceiverRequest request(String url, String audience, String... types) {
        return CreateEventReceiverRequest.newBuilder().setEndpointUrl(url).setAudience(audience)
                .addAllEventTypes(List.of(types)).build();
    }

    private void assertInvalid(CreateEventReceiverRequest request, String field) {
        StatusRuntimeException e = failure(() -> admin(fx).createEventReceiver(request));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).startsWith(field + ":");
    }
}
