package dev.tokenauthority.sidecar.server;

import com.google.protobuf.Timestamp;
import dev.tokenauthority.api.v1.DenialReason;
import dev.tokenauthority.api.v1.ValidateRequest;
import dev.tokenauthority.api.v1.ValidateResponse;
import dev.tokenauthority.api.v1.ValidatorServiceGrpc;
import dev.tokenauthority.sidecar.feed.FeedFreshness;
import dev.tokenauthority.sidecar.state.InMemoryRevocationState;
import dev.tokenauthority.sidecar.validation.AccessTokenClaims;
import dev.tokenauthority.sidecar.validation.MalformedHint;
import dev.tokenauthority.sidecar.validation.ValidationDecision;
import io.grpc.stub.StreamObserver;

/**
 * Validate over gRPC. Never blocks and never fails the RPC: a denial is a normal response with
 * a reason, so it runs directly on the transport threads. Every answer says how fresh the
 * revocation state behind it is.
 */
public final class ValidatorGrpcService extends ValidatorServiceGrpc.ValidatorServiceImplBase {

    private final LocalDecisions decisions;
    private final InMemoryRevocationState state;
    private final FeedFreshness freshness;
    private final SidecarMetrics metrics;

    public ValidatorGrpcService(LocalDecisions decisions, InMemoryRevocationState state, FeedFreshness freshness,
            SidecarMetrics metrics) {
        this.decisions = decisions;
        this.state = state;
        this.freshness = freshness;
        this.metrics = metrics;
    }

    @Override
    public void validate(ValidateRequest request, StreamObserver<ValidateResponse> observer) {
        long started = System.nanoTime();
        ValidateResponse.Builder response = ValidateResponse.newBuilder()
                .setFeedSequence(state.appliedSequence())
                .setFeedAgeMs(freshness.hasSnapshot() ? freshness.ageMillis() : -1);
        describe(decisions.decide(request.getToken(), request.getAudience(), request.getRequiredScopesList()),
                response);
        if (response.getReason() == DenialReason.DENIAL_REASON_MALFORMED) {
            response.setHint(MalformedHint.of(request.getToken()));
        }
        observer.onNext(response.build());
        observer.onCompleted();
        metrics.recordValidation(response.getValid(), response.getReason(), System.nanoTime() - started);
    }

    private static void describe(ValidationDecision decision, ValidateResponse.Builder response) {
        response.setValid(decision.valid()).setReason(decision.reason());
        AccessTokenClaims claims = decision.claims();
        if (claims != null) {
            response.setSubject(claims.subject())
                    .setClientId(claims.clientId())
                    .setSessionId(claims.sessionId())
                    .addAllScopes(claims.scopes())
                    .setExpiresAt(Timestamp.newBuilder().setSeconds(claims.expiresAt()))
                    .setTokenId(claims.tokenId());
        }
    }
}
