package dev.tokenauthority.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each subscriber received each event of a range of sequences (System.nanoTime; 0 for not
 * yet): one row per subscriber, one column per sequence, in one flat array so that a thousand
 * subscribers cost no more than the array. Nothing is recorded until the range begins.
 */
final class EventArrivals {

    private final int sequences;
    private final AtomicLongArray at;
    private volatile long firstSequence = Long.MAX_VALUE;

    /** Room for {@code sequences} sequences of {@code subscribers} subscribers. */
    EventArrivals(int subscribers, int sequences) {
        this.sequences = sequences;
        this.at = new AtomicLongArray(Math.multiplyExact(subscribers, sequences));
    }

    /** Records arrivals of {@code first} and the sequences after it from now on. */
    void begin(long first) {
        firstSequence = first;
    }

    void record(int subscriber, long sequence, long nanos) {
        long column = sequence - firstSequence;
        if (column >= 0 && column < sequences) {
            at.compareAndSet(subscriber * sequences + (int) column, 0, nanos);
        }
    }

    /** When the subscriber received the sequence, or 0. */
    long arrival(int subscriber, long sequence) {
        long column = sequence - firstSequence;
        return column >= 0 && column < sequences ? at.get(subscriber * sequences + (int) column) : 0;
    }
}
