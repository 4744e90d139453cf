package dev.tokenauthority.authority.storage;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The deployment's one key for deriving refresh-token successor secrets (V8). */
public interface SuccessorKeyDao {

    @SqlQuery("SELECT secret FROM refresh_successor_key WHERE id = 1")
    Optional<String> find();

    /**
     * Stores the key; two replicas starting at once both try, the second fails on the primary key
     * and its transaction's retry reads the first one's key.
     */
    @SqlUpdate("INSERT INTO refresh_successor_key (id, secret, created_at) VALUES (1, :secret, :createdAt)")
    void insert(String secret, Instant createdAt);
}
