-- Shared Signals / CAEP receivers (AdminService.CreateEventReceiver) and their outbox.
--
-- auth_header is a secret: only its sealed form is kept (AES-256-GCM under the key-encryption key
-- that seals the signing keys, bound to the receiver's id), never the header itself.
-- lease_owner / lease_until: the replica delivering to this receiver now. A replica takes the lease
-- with a compare-and-set UPDATE (works on H2 and PostgreSQL alike), so two replicas never deliver
-- to one receiver at the same time and a receiver's events go out one after another, in order.
-- The delivery columns (last_success_at ...) are what GetEventReceiver reports.
CREATE TABLE event_receivers (
    id                    VARCHAR(64)   PRIMARY KEY,
    endpoint_url          VARCHAR(2048) NOT NULL,
    audience              VARCHAR(512)  NOT NULL,
    event_types           VARCHAR(512)  NOT NULL,
    auth_header_kek       VARCHAR(64),
    auth_header_sealed    VARCHAR(4096),
    created_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_owner           VARCHAR(256),
    lease_until           TIMESTAMP WITH TIME ZONE,
    last_success_at       TIMESTAMP WITH TIME ZONE,
    last_failure_at       TIMESTAMP WITH TIME ZONE,
    last_failure_reason   VARCHAR(512),
    consecutive_failures  INTEGER NOT NULL DEFAULT 0
);

-- One row per event and receiver, written in the revocation's transaction. sequence is the
-- revocation-log sequence of the entry the event describes: appends are serialised by the log's
-- counter row, so sequence order is commit order, and a receiver's events are delivered by it.
-- A row is deleted once the receiver accepted it (202), refused it for good (400), or it expired.
CREATE TABLE event_outbox (
    receiver_id     VARCHAR(64)  NOT NULL REFERENCES event_receivers (id) ON DELETE CASCADE,
    sequence        BIGINT       NOT NULL,
    event_id        VARCHAR(64)  NOT NULL,
    event_type      VARCHAR(32)  NOT NULL,
    user_id         VARCHAR(64),
    session_id      VARCHAR(64),
    reason          VARCHAR(1024),
    event_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts        INTEGER      NOT NULL DEFAULT 0,
    PRIMARY KEY (receiver_id, sequence)
);
