-- Failed-login windows shared by every replica (LoginThrottle): one row per account and one per
-- client IP, keyed by a SHA-256 of the value. A login reserves an attempt here, under the row's
-- lock, before its password hash runs, so parallel guesses on any number of replicas cannot get
-- more hash evaluations than the limit. The audit ids point at the one aggregated login.failed and
-- login.throttled event of the window, whose count each later occurrence updates.
CREATE TABLE login_throttle (
    throttle_key       VARCHAR(80) PRIMARY KEY,
    window_start       TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts           INTEGER NOT NULL,
    failures           INTEGER NOT NULL,
    refusals           INTEGER NOT NULL,
    failed_audit_id    BIGINT,
    throttled_audit_id BIGINT
);
CREATE INDEX login_throttle_window ON login_throttle (window_start);
