package dev.tokenauthority.bench;

import dev.tokenauthority.api.v1.FeedMessage;
import java.util.Map;

/** Records when each feed event arrived, whether it came alone or in a run of FeedEvents. */
final class FeedArrivals {

    private FeedArrivals() {}

    static void record(FeedMessage message, Map<Long, Long> arrivals) {
        long at = System.nanoTime();
        if (message.hasEvent()) {
            arrivals.put(message.getEvent().getSequence(), at);
        }
        message.getEvents().getEventsList().forEach(event -> arrivals.put(event.getSequence(), at));
    }
}
