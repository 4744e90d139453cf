package dev.tokenauthority.authority.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.api.v1.DisableUserRequest;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.login.LoginLimits;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** tokenauthority_logins_total by outcome, scraped over HTTP from the metrics listener in the Prometheus text format. */
class LoginMetricsTest {

    AuthorityFixture fx;
    MetricsListener listener;

    @BeforeEach
    void start() {
        fx = new AuthorityFixture(TestDatabase.Kind.H2);
        listener = MetricsListener.start(0, fx.authority.metrics().registry());
    }

    @AfterEach
    void stop() throws Exception {
        listener.close();
        fx.close();
    }

    private void wrongPassword(String email) {
        assertThatThrownBy(() -> fx.auth().login(LoginRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                .setUsername(email).setPassword("wrong").build())).isInstanceOf(StatusRuntimeException.class);
    }

    private String scrape() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + listener.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        return response.body();
    }

    @Test
    void loginsAreCountedByOutcomeAndServedInThePrometheusTextFormat() throws Exception {
        fx.login(AuthorityFixture.ALICE);
        String adminToken = fx.loginAdmin().getAccessToken();
        for (int i = 0; i < LoginLimits.DEFAULT_ACCOUNT_LIMIT + 3; i++) {
            wrongPassword(AuthorityFixture.BOB); // 5 bad_credentials, then 3 throttled
        }
        fx.admin(adminToken).disableUser(DisableUserRequest.newBuilder()
                .setUserId(fx.user(AuthorityFixture.ALICE).id()).setReason("metrics test").build());
        assertThatThrownBy(() -> fx.login(AuthorityFixture.ALICE)).isInstanceOf(StatusRuntimeException.class);

        String body = scrape();
        assertThat(body).contains("# HELP tokenauthority_logins_total Password logins by outcome")
                .contains("# TYPE tokenauthority_logins_total counter")
                .contains("tokenauthority_logins_total{outcome=\"success\"} 2.0")
                .contains("tokenauthority_logins_total{outcome=\"bad_credentials\"} 5.0")
                .contains("tokenauthority_logins_total{outcome=\"throttled\"} 3.0")
                .contains("tokenauthority_logins_total{outcome=\"disabled\"} 1.0");
    }
}
