package dev.tokenauthority.authority.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.FeedEvent;
import dev.tokenauthority.api.v1.FeedMessage;
import dev.tokenauthority.api.v1.RevocationFeedServiceGrpc;
import dev.tokenauthority.api.v1.RevokeSessionRequest;
import dev.tokenauthority.api.v1.SubscribeRequest;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.authority.token.RevocationLogStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** What the revocation feed contracts share: an authority per test, a subscriber's calls and readers of its stream. */
abstract class RevocationFeedContractBase {

    AuthorityFixture fx;
    String admin;

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void start() {
        fx = new AuthorityFixture(kind());
        admin = fx.loginAdmin().getAccessToken();
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    Iterator<FeedMessage> subscribe(long after) {
        return subscribe(after, 0);
    }

    Iterator<FeedMessage> subscribe(long after, long afterEntryId) {
        return RevocationFeedServiceGrpc.newBlockingStub(fx.channel()).withDeadlineAfter(20, TimeUnit.SECONDS)
                .subscribe(SubscribeRequest.newBuilder().setSidecarId("test").setAfterSequence(after)
                        .setAfterEntryId(afterEntryId)
                        .setClientId(DemoData.SIDECAR_CLIENT).setClientSecret(fx.sidecarSecret).build());
    }

    /** The id of the log entry at {@code sequence}, as a subscriber would have received it. */
    long entryIdAt(long sequence) {
        return fx.authority.transactor().read(h -> h.store(RevocationLogStore.class).entryIdAt(sequence)).orElseThrow();
    }

    /**
     * What a database restored from an older backup, or a failover to a replica that was behind,
     * does to the log: every entry after {@code sequence} is gone and its numbers will be taken
     * again.
     */
    void rollLogBackTo(long sequence) {
        fx.db.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM revocation_log WHERE sequence > :s").bind("s", sequence).execute();
            h.createUpdate("UPDATE authority_state SET last_sequence = :s WHERE id = 1").bind("s", sequence).execute();
        });
    }

    /** The next message that is not a heartbeat. */
    static FeedMessage next(Iterator<FeedMessage> stream) {
        FeedMessage message = stream.next();
        while (message.hasHeartbeat()) {
            message = stream.next();
        }
        return message;
    }

    /** The next {@code count} events, whether they came alone or in runs; also checks no run is oversized. */
    static List<FeedEvent> events(Iterator<FeedMessage> stream, int count) {
        List<FeedEvent> events = new ArrayList<>();
        while (events.size() < count) {
            FeedMessage message = next(stream);
            assertThat(message.hasEvent() || message.hasEvents()).as("an event or a run of events").isTrue();
            assertThat(message.getEvents().getEventsCount()).isLessThanOrEqualTo(FeedSink.EVENTS_PER_MESSAGE);
            if (message.hasEvent()) {
                events.add(message.getEvent());
            }
            events.addAll(message.getEvents().getEventsList());
        }
        return events;
    }

    /** Reads a whole snapshot and returns its messages, begin to end. */
    static List<FeedMessage> snapshot(Iterator<FeedMessage> stream) {
        List<FeedMessage> messages = new ArrayList<>(List.of(next(stream)));
        assertThat(messages.get(0).hasSnapshotBegin()).isTrue();
        while (!messages.get(messages.size() - 1).hasSnapshotEnd()) {
            messages.add(next(stream));
        }
        return messages;
    }

    long revokeSession(String sessionId) {
        return fx.admin(admin).revokeSession(RevokeSessionRequest.newBuilder().setSessionId(sessionId)
                .setReason("test").build()).getFeedSequence();
    }
}
