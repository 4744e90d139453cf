package dev.tokenauthority.authority.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.keys.KeySetFreshness;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * /.well-known/jwks.json asks the same {@link KeySetFreshness} as GetJwks: a feed-only replica whose
 * standby stands still answers 503 with Retry-After instead of a key set that may keep a revoked key,
 * and the set again once it moves. (The freshness rule itself: {@code FeedOnlyReplicaContract}.)
 */
class WellKnownJwksFreshnessTest {

    private AuthorityFixture fx;

    @BeforeEach
    void start() {
        fx = new AuthorityFixture(TestDatabase.Kind.H2);
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    @Test
    void aStaleKeySetIsAnsweredWith503AndRetryAfterAndAFreshOneWithTheSet() throws Exception {
        AtomicBoolean stale = new AtomicBoolean(true);
        WellKnownDocuments documents = new WellKnownDocuments(fx.authority.signingKeys(), () -> {
            if (stale.get()) {
                throw AuthorityException.unavailable("standing still; ask another replica", null);
            }
        }, AuthorityFixture.ISSUER);

        AggregatedHttpResponse refused = get(documents);
        assertThat(refused.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(refused.headers().get("retry-after")).isEqualTo("5");
        assertThat(refused.contentUtf8()).contains("ask another replica").doesNotContain("\"keys\"");

        stale.set(false);
        AggregatedHttpResponse served = get(documents);
        assertThat(served.status()).isEqualTo(HttpStatus.OK);
        assertThat(served.contentUtf8()).isEqualTo(fx.authority.signingKeys().jwksJson());
    }

    private static AggregatedHttpResponse get(WellKnownDocuments documents) throws Exception {
        HttpRequest request = HttpRequest.of(HttpMethod.GET, WellKnownDocuments.JWKS_PATH);
        return documents.jwks().serve(ServiceRequestContext.of(request), request).aggregate().join();
    }
}
