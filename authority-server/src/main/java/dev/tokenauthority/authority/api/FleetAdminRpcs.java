package dev.tokenauthority.authority.api;

import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.ListSidecarsRequest;
import dev.tokenauthority.api.v1.ListSidecarsResponse;
import dev.tokenauthority.api.v1.SidecarInfo;
import dev.tokenauthority.authority.access.Permission;
import dev.tokenauthority.authority.fleet.FleetLister;
import dev.tokenauthority.authority.fleet.FleetListing;
import dev.tokenauthority.authority.fleet.ListedSidecar;
import dev.tokenauthority.authority.fleet.SidecarRecord;
import dev.tokenauthority.authority.fleet.SidecarState;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

/** ListSidecars: the sidecar fleet, for the console's Sidecars page and Overview. */
public final class FleetAdminRpcs {

    private final AdminCalls calls;
    private final FleetLister lister;

    public FleetAdminRpcs(AdminCalls calls, FleetLister lister) {
        this.calls = calls;
        this.lister = lister;
    }

    /** Binds this group's methods of AdminService (see {@link AdminGrpcService}). */
    void bindTo(ServerServiceDefinition.Builder admin) {
        admin.addMethod(AdminServiceGrpc.getListSidecarsMethod(), ServerCalls.asyncUnaryCall(this::listSidecars));
    }

    void listSidecars(ListSidecarsRequest request, StreamObserver<ListSidecarsResponse> observer) {
        calls.unary(observer, Permission.TOKENS_READ, context -> toResponse(lister.list()));
    }

    private static ListSidecarsResponse toResponse(FleetListing listing) {
        ListSidecarsResponse.Builder response = ListSidecarsResponse.newBuilder()
                .setHeadSequence(listing.headSequence())
                .setFresh(listing.counts().get(SidecarState.FRESH))
                .setLagging(listing.counts().get(SidecarState.LAGGING))
                .setNotReporting(listing.counts().get(SidecarState.NOT_REPORTING))
                .setGone(listing.counts().get(SidecarState.GONE));
        listing.sidecars().forEach(sidecar -> response.addSidecars(info(sidecar)));
        return response.build();
    }

    private static SidecarInfo info(ListedSidecar listed) {
        SidecarRecord row = listed.sidecar();
        SidecarInfo.Builder info = SidecarInfo.newBuilder()
                .setSidecarId(row.sidecarId())
                .setClientId(nullToEmpty(row.clientId()))
                .setAddress(nullToEmpty(row.address()))
                .setReplica(row.replica())
                .setConnectedAt(Timestamps.of(row.connectedAt()))
                .setAppliedSequence(row.appliedSequence())
                .setLagEntries(listed.lagEntries())
                .setLagMillis(listed.lagMillis())
                .setLastHeartbeatAt(Timestamps.of(row.lastSeenAt()))
                .setVersion(nullToEmpty(row.version()))
                .setState(dev.tokenauthority.api.v1.SidecarState.valueOf("SIDECAR_STATE_" + listed.state().name()));
        if (row.disconnectedAt() != null) {
            info.setDisconnectedAt(Timestamps.of(row.disconnectedAt()));
        }
        return info.build();
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
