package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.Transaction;
import java.util.IdentityHashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * One unit of database work: a Jdbi {@link Handle}, and the stores bound to it, each built once
 * on first use and reused for every statement of the unit of work.
 */
final class Tx implements Transaction {

    private final Handle handle;
    private final Database.Dialect dialect;
    private final Map<Class<?>, Object> stores = new IdentityHashMap<>(8);

    Tx(Handle handle, Database.Dialect dialect) {
        this.handle = handle;
        this.dialect = dialect;
    }

    @Override
    public <S> S store(Class<S> type) {
        return type.cast(stores.computeIfAbsent(type, t -> Stores.create(t, handle, dialect)));
    }

    @Override
    public void afterCommit(Runnable action) {
        handle.afterCommit(action);
    }
}
