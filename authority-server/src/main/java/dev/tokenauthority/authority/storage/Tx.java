package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.Transaction;
import java.util.IdentityHashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.Update;

/**
 * One unit of database work: a Jdbi {@link Handle} whose SQL-object attachments are made once
 * and reused. Jdbi builds a new proxy on every {@code Handle.attach}, which profiling showed to
 * be the largest CPU cost of a refresh (several attaches per call); within one unit of work the
 * same DAO instance serves every statement.
 */
public final class Tx implements Transaction {

    private final Handle handle;
    private final Map<Class<?>, Object> attached = new IdentityHashMap<>(8);

    Tx(Handle handle) {
        this.handle = handle;
    }

    /**
     * The DAO of this type bound to this unit of work: a plain store class built on its Handle
     * (the hot-path stores), or a Jdbi SQL object.
     */
    public <T> T attach(Class<T> dao) {
        return dao.cast(attached.computeIfAbsent(dao, this::create));
    }

    private Object create(Class<?> dao) {
        if (dao.isInterface()) {
            return handle.attach(dao);
        }
        try {
            return dao.getConstructor(Handle.class).newInstance(handle);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(dao.getName() + " needs a public constructor taking a Handle", e);
        }
    }

    @Override
    public <S> S store(Class<S> type) {
        return type.cast(attached.computeIfAbsent(type, t -> Stores.create(t, handle)));
    }

    /** The Jdbi handle of a transaction this package began: how a store reaches its connection. */
    static Handle handle(Transaction tx) {
        return ((Tx) tx).handle;
    }

    @Override
    public void afterCommit(Runnable action) {
        handle.afterCommit(action);
    }

    public void execute(String sql) {
        handle.execute(sql);
    }

    public Query createQuery(String sql) {
        return handle.createQuery(sql);
    }

    public Update createUpdate(String sql) {
        return handle.createUpdate(sql);
    }

    public PreparedBatch prepareBatch(String sql) {
        return handle.prepareBatch(sql);
    }
}
