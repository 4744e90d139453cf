-- The sidecars following the revocation feed (AdminService.ListSidecars), one row per sidecar id,
-- shared by every replica: the replica a sidecar follows writes what it reports within about 20 ms
-- of a change of position and every 5 s otherwise (SidecarFleet), so an admin on any replica sees
-- the whole fleet. disconnected_at is set when its stream ends; a replica that died without saying
-- so leaves last_seen_at behind, which ListSidecars reads as gone after 15 s. Rows not seen for an
-- hour are deleted by housekeeping. applied_sequence is -1 for a sidecar that reports no position.
CREATE TABLE sidecars (
    sidecar_id        VARCHAR(256) PRIMARY KEY,
    client_id         VARCHAR(256),
    address           VARCHAR(64),
    replica           VARCHAR(256) NOT NULL,
    version           VARCHAR(64),
    connected_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    applied_sequence  BIGINT NOT NULL,
    disconnected_at   TIMESTAMP WITH TIME ZONE
);
CREATE INDEX sidecars_last_seen ON sidecars (last_seen_at);
