package dev.tokenauthority.authority.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.tokenauthority.api.v1.AuditEvent;
import dev.tokenauthority.api.v1.DisableUserRequest;
import dev.tokenauthority.api.v1.ListAuditEventsRequest;
import dev.tokenauthority.api.v1.ListAuditEventsResponse;
import dev.tokenauthority.api.v1.User;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The audit log's listing: order, filters and paging through real gRPC, on H2 and PostgreSQL. */
abstract class AuditListingContract extends DirectoryAdminContractBase {

    @Test
    void listAuditEventsIsNewestFirstAndFiltersByActorActionTargetAndTime() {
        java.time.Instant start = fx.clock.instant();
        User first = createUser("first@example.com");
        fx.clock.advance(Duration.ofMinutes(1));
        User second = createUser("second@example.com");
        fx.clock.advance(Duration.ofMinutes(1));
        admin.disableUser(DisableUserRequest.newBuilder().setUserId(second.getUserId()).build());

        List<AuditEvent> byAdmin = admin.listAuditEvents(ListAuditEventsRequest.newBuilder().setActorId(adminId)
                .build()).getEventsList();
        assertThat(byAdmin).extracting(AuditEvent::getId).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(byAdmin.get(0).getAction()).isEqualTo("user.revoke_tokens_on_disable");
        assertThat(byAdmin).extracting(AuditEvent::getActorId).containsOnly(adminId);

        assertThat(admin.listAuditEvents(ListAuditEventsRequest.newBuilder().setAction("user.create").build())
                .getEventsList()).extracting(AuditEvent::getTargetId)
                .containsExactly(second.getUserId(), first.getUserId());
        assertThat(admin.listAuditEvents(ListAuditEventsRequest.newBuilder().setTargetId(second.getUserId()).build())
                .getEventsList()).extracting(AuditEvent::getAction)
                .containsExactly("user.revoke_tokens_on_disable", "user.disable", "user.create");
        assertThat(admin.listAuditEvents(ListAuditEventsRequest.newBuilder().setAction("user.create")
                .setOccurredAfter(timestamp(start.plusSeconds(30)))
                .setOccurredBefore(timestamp(start.plusSeconds(90))).build()).getEventsList())
                .extracting(AuditEvent::getTargetId).containsExactly(second.getUserId());
    }

    @Test
    void anEventAboutAUserCarriesTheUsersEmailBesideItsIdAndOtherTargetsNone() {
        User user = createUser("named@example.com");
        admin.disableUser(DisableUserRequest.newBuilder().setUserId(user.getUserId()).build());
        List<AuditEvent> events = admin.listAuditEvents(ListAuditEventsRequest.newBuilder()
                .setTargetId(user.getUserId()).build()).getEventsList();
        assertThat(events).isNotEmpty().allSatisfy(e -> {
            assertThat(e.getTargetId()).isEqualTo(user.getUserId());
            assertThat(e.getTargetEmail()).isEqualTo("named@example.com");
        });
        assertThat(admin.listAuditEvents(ListAuditEventsRequest.newBuilder().build()).getEventsList())
                .filteredOn(e -> !e.getTargetType().equals("user")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.getTargetEmail()).isEmpty());
    }

    @Test
    void listAuditEventsPagesAndRefusesBadRangesSizesAndForeignTokens() {
        for (int i = 0; i < 5; i++) {
            createUser("audited-" + i + "@example.com");
        }
        List<AuditEvent> all = allPages(token -> admin.listAuditEvents(ListAuditEventsRequest.newBuilder()
                .setAction("user.create").setPageSize(2).setPageToken(token).build()),
                ListAuditEventsResponse::getEventsList, ListAuditEventsResponse::getNextPageToken, 2);
        assertThat(all).hasSize(5).extracting(AuditEvent::getId).doesNotHaveDuplicates()
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());

        String token = admin.listAuditEvents(ListAuditEventsRequest.newBuilder().setAction("user.create")
                .setPageSize(2).build()).getNextPageToken();
        assertFails(Status.Code.INVALID_ARGUMENT, "page_token", () -> admin.listAuditEvents(
                ListAuditEventsRequest.newBuilder().setAction("session.login").setPageToken(token).build()));
        assertFails(Status.Code.INVALID_ARGUMENT, "page_size", () -> admin.listAuditEvents(
                ListAuditEventsRequest.newBuilder().setPageSize(501).build()));
        assertFails(Status.Code.INVALID_ARGUMENT, "page_size", () -> admin.listAuditEvents(
                ListAuditEventsRequest.newBuilder().setPageSize(-1).build()));
        Timestamp now = timestamp(fx.clock.instant());
        assertFails(Status.Code.INVALID_ARGUMENT, "occurred_after", () -> admin.listAuditEvents(
                ListAuditEventsRequest.newBuilder().setOccurredAfter(now).setOccurredBefore(now).build()));
        assertThat(admin.listAuditEvents(ListAuditEventsRequest.newBuilder().setPageSize(500).build())
                .getEventsCount()).isBetween(5, 500);
    }
}
