package dev.tokenauthority.authority.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.BatchRevokeTokensRequest;
import dev.tokenauthority.api.v1.FeedEvent;
import dev.tokenauthority.api.v1.FeedMessage;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Concurrent and bulk revocations reach a subscriber in order, every one, without a skipped sequence. */
abstract class RevocationFeedOrderContract extends RevocationFeedContractBase {

    @Test
    void concurrentRevocationsReachASubscriberEveryOneInOrderWithoutASkippedSequence() throws Exception {
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            sessions.add(fx.login(i % 2 == 0 ? AuthorityFixture.ALICE : AuthorityFixture.BOB).getSessionId());
        }
        Iterator<FeedMessage> stream = subscribe(0);
        long start = snapshot(stream).get(0).getSnapshotBegin().getSequence();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Long>> results = new ArrayList<>();
        for (String session : sessions) {
            results.add(pool.submit(() -> revokeSession(session)));
        }
        for (Future<Long> result : results) {
            result.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertConsecutive(events(stream, sessions.size()), start);
    }

    @Test
    void aBulkRevocationTravelsAsRunsOfEventsThatChainLikeSingleOnes() {
        String aliceId = fx.user(AuthorityFixture.ALICE).id();
        List<String> tokenIds = new ArrayList<>();
        for (int i = 0; i < 2_100; i++) {
            tokenIds.add(fx.issueTo(aliceId).getRefreshTokenId());
        }
        Iterator<FeedMessage> stream = subscribe(0);
        long start = snapshot(stream).get(0).getSnapshotBegin().getSequence();

        long last = fx.admin(admin).batchRevokeTokens(BatchRevokeTokensRequest.newBuilder().addAllTokenIds(tokenIds)
                .setReason("test").build()).getFeedSequence();

        List<FeedMessage> messages = new ArrayList<>();
        List<FeedEvent> events = new ArrayList<>();
        while (events.size() < tokenIds.size()) {
            FeedMessage message = next(stream);
            messages.add(message);
            events.addAll(message.getEvents().getEventsList());
        }
        assertThat(messages).allSatisfy(m -> assertThat(m.getEvents().getEventsCount())
                .isBetween(2, FeedSink.EVENTS_PER_MESSAGE));
        assertThat(messages.size()).isLessThan(10);
        assertConsecutive(events, start);
        assertThat(events.get(events.size() - 1).getSequence()).isEqualTo(last);
        assertThat(events).extracting(e -> e.getEntry().getRevokedSession().getSessionId()).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).isNotEmpty());
    }

    static void assertConsecutive(List<FeedEvent> events, long start) {
        long previous = start;
        for (FeedEvent event : events) {
            assertThat(event.getSequence()).isEqualTo(previous + 1);
            assertThat(event.getPreviousSequence()).isEqualTo(previous);
            previous = event.getSequence();
        }
    }
}
