package dev.tokenauthority.authority.api;

import dev.tokenauthority.api.v1.AdminServiceGrpc;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;

/**
 * AdminService over gRPC. One service on the wire, implemented by three groups of thin RPC
 * handlers, each binding its own methods: revocations, token and session administration, the
 * directory (users, clients, grants, settings, audit), activity, the sidecar fleet and the
 * event receivers. Each handler authenticates the bearer and
 * checks the permission the method names (see {@link AdminCalls}). Building the definition fails
 * if a method of admin.proto has no handler, so a new RPC cannot be forgotten.
 */
public final class AdminGrpcService implements BindableService {

    private final RevocationAdminRpcs revocations;
    private final TokenAdminRpcs tokens;
    private final DirectoryAdminRpcs directory;
    private final ActivityAdminRpcs activity;
    private final FleetAdminRpcs fleet;
    private final EventReceiverAdminRpcs eventReceivers;

    public AdminGrpcService(RevocationAdminRpcs revocations, TokenAdminRpcs tokens, DirectoryAdminRpcs directory,
            ActivityAdminRpcs activity, FleetAdminRpcs fleet, EventReceiverAdminRpcs eventReceivers) {
        this.eventReceivers = eventReceivers;
        this.revocations = revocations;
        this.tokens = tokens;
        this.directory = directory;
        this.activity = activity;
        this.fleet = fleet;
    }

    @Override
    public ServerServiceDefinition bindService() {
        ServerServiceDefinition.Builder admin = ServerServiceDefinition.builder(AdminServiceGrpc.getServiceDescriptor());
        revocations.bindTo(admin);
        tokens.bindTo(admin);
        directory.bindTo(admin);
        activity.bindTo(admin);
        fleet.bindTo(admin);
        eventReceivers.bindTo(admin);
        return admin.build();
    }
}
