package dev.tokenauthority.authority.audit;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.listing.PageCursor;
import dev.tokenauthority.authority.listing.Paging;
import java.util.List;

/**
 * The audit trail for administrators: filtered by actor, action, target and time, newest first,
 * in keyset pages by id (ids grow with every insert, so a page never repeats or skips an event
 * even while new ones are written).
 */
public final class AuditListing {

    private static final String ORDER = "id desc";

    private final Transactions transactor;

    public AuditListing(Transactions transactor) {
        this.transactor = transactor;
    }

    public record Page(List<AuditEvent> events, String nextPageToken) {
    }

    public Page list(AuditQuery query, int pageSize, String pageToken) {
        if (query.occurredAfter() != null && query.occurredBefore() != null
                && !query.occurredAfter().isBefore(query.occurredBefore())) {
            throw AuthorityException.invalidArgument("occurred_after", "must be before occurred_before");
        }
        int size = Paging.pageSize(pageSize);
        String fingerprint = Paging.fingerprint(query, ORDER);
        PageCursor cursor = PageCursor.decode(pageToken, fingerprint);
        Long beforeId = cursor == null ? null : cursor.idAsLong();
        return transactor.read(tx -> {
            Paging.Slice<AuditEvent> slice = Paging.slice(tx.store(AuditStore.class).search(query, beforeId, size + 1),
                    size, event -> Long.toString(event.id()), event -> Long.toString(event.id()), fingerprint);
            return new Page(slice.rows(), slice.nextPageToken());
        });
    }
}
