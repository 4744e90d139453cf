package dev.tokenauthority.authority.api;

import static dev.tokenauthority.authority.api.RequestFields.required;

import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.CreateEventReceiverRequest;
import dev.tokenauthority.api.v1.DeleteEventReceiverRequest;
import dev.tokenauthority.api.v1.DeleteEventReceiverResponse;
import dev.tokenauthority.api.v1.EventDeliveryStatus;
import dev.tokenauthority.api.v1.GetEventReceiverRequest;
import dev.tokenauthority.api.v1.ListEventReceiversRequest;
import dev.tokenauthority.api.v1.ListEventReceiversResponse;
import dev.tokenauthority.authority.access.Permission;
import dev.tokenauthority.authority.events.EventReceiver;
import dev.tokenauthority.authority.events.EventReceivers;
import dev.tokenauthority.authority.events.EventType;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

/** Create, list, get and delete the receivers of revocation events (Shared Signals / CAEP). */
public final class EventReceiverAdminRpcs {

    private final AdminCalls calls;
    private final EventReceivers receivers;

    public EventReceiverAdminRpcs(AdminCalls calls, EventReceivers receivers) {
        this.calls = calls;
        this.receivers = receivers;
    }

    /** Binds this group's methods of AdminService (see {@link AdminGrpcService}). */
    void bindTo(ServerServiceDefinition.Builder admin) {
        admin.addMethod(AdminServiceGrpc.getCreateEventReceiverMethod(), ServerCalls.asyncUnaryCall(this::create));
        admin.addMethod(AdminServiceGrpc.getListEventReceiversMethod(), ServerCalls.asyncUnaryCall(this::list));
        admin.addMethod(AdminServiceGrpc.getGetEventReceiverMethod(), ServerCalls.asyncUnaryCall(this::get));
        admin.addMethod(AdminServiceGrpc.getDeleteEventReceiverMethod(), ServerCalls.asyncUnaryCall(this::delete));
    }

    void create(CreateEventReceiverRequest request, StreamObserver<dev.tokenauthority.api.v1.EventReceiver> observer) {
        calls.unary(observer, Permission.SETTINGS_WRITE, context -> toProto(receivers.create(
                new EventReceivers.Spec(request.getEndpointUrl(), request.getAudience(),
                        request.getEventTypesList(), request.getAuthHeader()), context)));
    }

    void list(ListEventReceiversRequest request, StreamObserver<ListEventReceiversResponse> observer) {
        calls.unary(observer, Permission.TOKENS_READ, context -> {
            ListEventReceiversResponse.Builder response = ListEventReceiversResponse.newBuilder();
            receivers.list().forEach(receiver -> response.addReceivers(toProto(receiver)));
            return response.build();
        });
    }

    void get(GetEventReceiverRequest request, StreamObserver<dev.tokenauthority.api.v1.EventReceiver> observer) {
        calls.unary(observer, Permission.TOKENS_READ,
                context -> toProto(receivers.get(required("id", request.getId()))));
    }

    void delete(DeleteEventReceiverRequest request, StreamObserver<DeleteEventReceiverResponse> observer) {
        calls.unary(observer, Permission.SETTINGS_WRITE, context -> {
            receivers.delete(required("id", request.getId()), context);
            return DeleteEventReceiverResponse.getDefaultInstance();
        });
    }

    private static dev.tokenauthority.api.v1.EventReceiver toProto(EventReceiver receiver) {
        EventReceiver.DeliveryStatus status = receiver.status();
        EventDeliveryStatus.Builder delivery = EventDeliveryStatus.newBuilder()
                .setPending(status.pending())
                .setConsecutiveFailures(status.consecutiveFailures());
        if (status.lastSuccessAt() != null) {
            delivery.setLastSuccessAt(Timestamps.of(status.lastSuccessAt()));
        }
        if (status.lastFailureAt() != null) {
            delivery.setLastFailureAt(Timestamps.of(status.lastFailureAt()))
                    .setLastFailureReason(status.lastFailureReason() == null ? "" : status.lastFailureReason());
        }
        return dev.tokenauthority.api.v1.EventReceiver.newBuilder()
                .setId(receiver.id())
                .setEndpointUrl(receiver.endpointUrl())
                .setAudience(receiver.audience())
                .addAllEventTypes(receiver.eventTypes().stream().map(EventType::shortName).toList())
                .setAuthHeaderSet(receiver.authHeader() != null)
                .setCreatedAt(Timestamps.of(receiver.createdAt()))
                .setStatus(delivery)
                .build();
    }
}
