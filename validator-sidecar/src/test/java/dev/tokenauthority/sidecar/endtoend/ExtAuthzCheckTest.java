package dev.tokenauthority.sidecar.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.api.v1.ValidateResponse;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.sidecar.server.ExtAuthzGrpcService;
import dev.tokenauthority.sidecar.server.StalePolicy;
import dev.tokenauthority.sidecar.validation.AcceptedAudiences;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.envoyproxy.envoy.type.v3.StatusCode;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Envoy's ext_authz Check on a sidecar following a real authority, called through Envoy's own generated stubs: what an
 * accepted request carries upstream (and that a client cannot forge it), and each kind of denial as RFC 6750 section 3
 * words it. That Check gives every denial reason Validate gives is in {@link LivenessContract}.
 */
class ExtAuthzCheckTest {

    private static final String PREFIX = "x-auth-";

    private AuthorityFixture authority;
    private SidecarHarness sidecar;

    @BeforeEach
    void start() throws Exception {
        authority = new AuthorityFixture(TestDatabase.Kind.H2);
        sidecar = new SidecarHarness(authority.channel(), authority.sidecarSecret,
                AcceptedAudiences.anyOf(DemoData.AUDIENCE, "other-api"), StalePolicy.FAIL_CLOSED, authority.clock,
                PREFIX);
        sidecar.awaitServing();
    }

    @AfterEach
    void stop() throws Exception {
        sidecar.close();
        authority.close();
    }

    @Test
    void anAcceptedRequestGoesUpstreamWithTheTokensClaimsInHeadersThatReplaceAnyTheClientSent() {
        TokenPair pair = authority.login(AuthorityFixture.ALICE);
        ValidateResponse claims = sidecar.validate(pair.getAccessToken());
        CheckResponse response = sidecar.check(Map.of("authorization", "Bearer " + pair.getAccessToken(),
                PREFIX + "subject", "usr_admin", PREFIX + "session-id", "forged"), Map.of());

        assertThat(response.getStatus().getCode()).isEqualTo(Code.OK_VALUE);
        Map<String, HeaderValueOption> set = response.getOkResponse().getHeadersList().stream()
                .collect(Collectors.toMap(h -> h.getHeader().getKey(), h -> h));
        assertThat(set.keySet()).containsOnly(PREFIX + "subject", PREFIX + "client-id", PREFIX + "scopes",
                PREFIX + "session-id");
        assertThat(set.values()).allSatisfy(h -> assertThat(h.getAppendAction())
                .isEqualTo(HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD));
        assertThat(set.get(PREFIX + "subject").getHeader().getValue()).isEqualTo(claims.getSubject());
        assertThat(set.get(PREFIX + "client-id").getHeader().getValue()).isEqualTo(DemoData.APP_CLIENT);
        assertThat(set.get(PREFIX + "session-id").getHeader().getValue()).isEqualTo(pair.getSessionId());
        assertThat(set.get(PREFIX + "scopes").getHeader().getValue())
                .isEqualTo(String.join(" ", claims.getScopesList()));
        assertThat(response.getOkResponse().getHeadersToRemoveList()).isEmpty();
    }

    @Test
    void noBearerTokenIs401WithABareChallenge() {
        for (Map<String, String> headers : List.of(Map.<String, String>of(),
                Map.of("authorization", "Basic YWxpY2U6cGFzc3dvcmQ="), Map.of("authorization", "Bearer "))) {
            CheckResponse response = sidecar.check(headers, Map.of());
            assertThat(response.getStatus().getCode()).isEqualTo(Code.UNAUTHENTICATED_VALUE);
            assertThat(response.getDeniedResponse().getStatus().getCode()).isEqualTo(StatusCode.Unauthorized);
            assertThat(challenge(response)).isEqualTo("Bearer");
        }
    }

    @Test
    void anUnacceptedTokenIs401InvalidTokenNamingTheReason() {
        CheckResponse malformed = sidecar.check("not-a-jwt");
        assertThat(malformed.getDeniedResponse().getStatus().getCode()).isEqualTo(StatusCode.Unauthorized);
        assertThat(challenge(malformed)).isEqualTo("Bearer error=\"invalid_token\", error_description=\"MALFORMED\"");

        TokenPair pair = authority.login(AuthorityFixture.ALICE);
        CheckResponse wrongAudience = sidecar.check(Map.of("authorization", "Bearer " + pair.getAccessToken()),
                Map.of(ExtAuthzGrpcService.AUDIENCE, "other-api"));
        assertThat(wrongAudience.getStatus().getCode()).isEqualTo(Code.UNAUTHENTICATED_VALUE);
        assertThat(challenge(wrongAudience)).contains("error_description=\"WRONG_AUDIENCE\"");
        assertThat(sidecar.check(Map.of("authorization", "bearer " + pair.getAccessToken()),
                Map.of(ExtAuthzGrpcService.AUDIENCE, DemoData.AUDIENCE)).getStatus().getCode())
                .as("the scheme is case-insensitive; the route's own audience passes").isEqualTo(Code.OK_VALUE);
    }

    @Test
    void aMissingScopeIs403InsufficientScopeNamingWhatTheRouteRequires() {
        TokenPair pair = authority.login(AuthorityFixture.ALICE);
        CheckResponse response = sidecar.check(Map.of("authorization", "Bearer " + pair.getAccessToken()),
                Map.of(ExtAuthzGrpcService.REQUIRED_SCOPES, "orders:admin  read"));
        assertThat(response.getStatus().getCode()).isEqualTo(Code.PERMISSION_DENIED_VALUE);
        assertThat(response.getDeniedResponse().getStatus().getCode()).isEqualTo(StatusCode.Forbidden);
        assertThat(challenge(response)).isEqualTo("Bearer error=\"insufficient_scope\", "
                + "error_description=\"INSUFFICIENT_SCOPE\", scope=\"orders:admin  read\"");
    }

    @Test
    void aSidecarWithoutAFreshRevocationStateAnswers503() throws Exception {
        // A sidecar whose authority never answers: no snapshot, so nothing can be decided.
        try (SidecarHarness orphan = new SidecarHarness(
                InProcessChannelBuilder.forName("no-authority-here").build(), "secret",
                AcceptedAudiences.anyOf(DemoData.AUDIENCE), StalePolicy.FAIL_OPEN, authority.clock, PREFIX)) {
            CheckResponse response = orphan.check(authority.login(AuthorityFixture.ALICE).getAccessToken());
            assertThat(response.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE_VALUE);
            assertThat(response.getDeniedResponse().getStatus().getCode()).isEqualTo(StatusCode.ServiceUnavailable);
            assertThat(response.getDeniedResponse().getHeadersList()).isEmpty();
        }
    }

    private static String challenge(CheckResponse response) {
        return response.getDeniedResponse().getHeadersList().stream()
                .filter(h -> h.getHeader().getKey().equals("www-authenticate"))
                .map(h -> h.getHeader().getValue()).findFirst().orElseThrow();
    }
}
