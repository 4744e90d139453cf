package dev.tokenauthority.authority.feed;

/**
 * What subscriptions tell the metrics registry about the messages they send. A closed, label-free report: one sidecar
 * is never one series, however many subscribe.
 */
public interface FeedObserver {

    /** Observes nothing: for subscriptions nobody scrapes. */
    FeedObserver NONE = new FeedObserver() {
        @Override
        public void eventsSent(int events) {
        }

        @Override
        public void behindHead(long sequences) {
        }
    };

    /** One message carried {@code events} log entries live or on resumption (snapshot entries are not events). */
    void eventsSent(int events);

    /**
     * After a message (events, a heartbeat, a snapshot's end), its subscriber was {@code sequences} behind the last
     * entry this replica had published: 0 for a subscriber in step.
     */
    void behindHead(long sequences);
}
