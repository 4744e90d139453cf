package dev.tokenauthority.authority.api;

import dev.tokenauthority.api.v1.ActivityBucket;
import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.GetActivityRequest;
import dev.tokenauthority.api.v1.GetActivityResponse;
import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.access.Permission;
import dev.tokenauthority.authority.activity.Activity;
import dev.tokenauthority.authority.activity.ActivityRange;
import dev.tokenauthority.authority.activity.ActivityReport;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

/** GetActivity: the console's Overview charts. */
public final class ActivityAdminRpcs {

    private final AdminCalls calls;
    private final ActivityReport report;

    public ActivityAdminRpcs(AdminCalls calls, ActivityReport report) {
        this.calls = calls;
        this.report = report;
    }

    /** Binds this group's methods of AdminService (see {@link AdminGrpcService}). */
    void bindTo(ServerServiceDefinition.Builder admin) {
        admin.addMethod(AdminServiceGrpc.getGetActivityMethod(), ServerCalls.asyncUnaryCall(this::getActivity));
    }

    void getActivity(GetActivityRequest request, StreamObserver<GetActivityResponse> observer) {
        calls.unary(observer, Permission.TOKENS_READ, context -> toResponse(report.read(range(request))));
    }

    private static ActivityRange range(GetActivityRequest request) {
        return switch (request.getRange()) {
            case ACTIVITY_RANGE_LAST_HOUR -> ActivityRange.LAST_HOUR;
            case ACTIVITY_RANGE_LAST_DAY -> ActivityRange.LAST_DAY;
            default -> throw AuthorityException.invalidArgument("range",
                    "must be ACTIVITY_RANGE_LAST_HOUR or ACTIVITY_RANGE_LAST_DAY, not " + request.getRangeValue());
        };
    }

    private static GetActivityResponse toResponse(Activity activity) {
        GetActivityResponse.Builder response = GetActivityResponse.newBuilder()
                .setBucketWidth(com.google.protobuf.Duration.newBuilder()
                        .setSeconds(activity.bucketWidth().toSeconds()))
                .setAsOf(Timestamps.of(activity.asOf()));
        for (dev.tokenauthority.authority.activity.ActivityBucket bucket : activity.buckets()) {
            ActivityBucket.Builder b = ActivityBucket.newBuilder()
                    .setStart(Timestamps.of(bucket.start()))
                    .setLogins(bucket.counts().logins())
                    .setRefreshes(bucket.counts().refreshes())
                    .setRevocations(bucket.counts().revocations())
                    .setReuseDetections(bucket.counts().reuseDetections());
            if (bucket.activeSessions() != null) {
                b.setActiveSessions(bucket.activeSessions());
            }
            response.addBuckets(b);
        }
        return response.build();
    }
}
