package dev.tokenauthority.authority.storage;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;

/**
 * Tells HikariCP to drop a pooled connection on every error that means the connection is lost.
 * Hikari recognises the SQL-standard 08xxx states itself, but H2 reports a broken connection as
 * 90067 (and a closed database as 90098); without this the dead connection would go back into
 * the pool and fail the next call too, long after the database is back.
 */
public final class ConnectionLossEviction implements SQLExceptionOverride {

    @java.lang.Override
    public SQLExceptionOverride.Override adjudicate(SQLException e) {
        return Transactor.isConnectionFailure(e)
                ? SQLExceptionOverride.Override.MUST_EVICT
                : SQLExceptionOverride.Override.CONTINUE_EVICT;
    }
}
