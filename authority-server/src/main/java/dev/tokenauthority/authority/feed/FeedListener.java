package dev.tokenauthority.authority.feed;

import dev.tokenauthority.authority.token.RevocationLogStore.LogRow;
import java.util.List;
import java.util.function.Consumer;

/** Receives what the feed publishes; called on the publishing thread, so it must not block or throw. */
public interface FeedListener extends Consumer<List<LogRow>> {

    /** New entries, in sequence order, following the ones before. */
    @Override
    void accept(List<LogRow> rows);

    /** The log went back: entries already published may be replaced by others with the same numbers. */
    default void logRewound() {
    }
}
