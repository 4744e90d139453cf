package dev.tokenauthority.authority.server;

/** What one authority process does with its database. */
public enum ReplicaRole {
    /**
     * Reads and writes a primary database: every RPC, housekeeping, and on PostgreSQL the feed's
     * beat and a LISTEN for other replicas' revocations.
     */
    PRIMARY,
    /**
     * Reads a PostgreSQL hot standby and writes nothing: serves only the revocation feed and the JWK
     * set, vouching for freshness only as far as the standby has replayed the primary's beat.
     */
    FEED_ONLY
}
