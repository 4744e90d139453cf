package dev.tokenauthority.authority.web;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import java.util.function.BooleanSupplier;

/**
 * Probes for an orchestrator, on the web port: {@code /healthz} answers 200 while the process serves at all
 * (liveness: restart it when this fails), {@code /readyz} 200 while the database answers and 503 while it does not
 * (readiness: send it no calls meanwhile, but do not restart it, which would not bring the database back).
 */
final class HealthEndpoints {

    static final String LIVENESS_PATH = "/healthz";
    static final String READINESS_PATH = "/readyz";

    private HealthEndpoints() {}

    static HttpService liveness() {
        return (ctx, req) -> plain(HttpStatus.OK, "ok");
    }

    static HttpService readiness(BooleanSupplier databaseAnswers) {
        return (ctx, req) -> databaseAnswers.getAsBoolean()
                ? plain(HttpStatus.OK, "ready")
                : plain(HttpStatus.SERVICE_UNAVAILABLE, "database unreachable");
    }

    private static HttpResponse plain(HttpStatus status, String body) {
        return HttpResponse.of(ResponseHeaders.builder(status)
                .contentType(MediaType.PLAIN_TEXT_UTF_8)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .build(), HttpData.ofUtf8(body + "\n"));
    }
}
