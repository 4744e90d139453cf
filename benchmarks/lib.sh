# Shared by the benchmark scripts (sourced): logging, stopping the processes a run started, loopback
# port checks, and the throwaway PostgreSQL database a run creates and drops. Before sourcing, set
# LOG_PREFIX; PG_DB names the run's database once it exists ("" before and after).

log() { echo "[$LOG_PREFIX] $*" >&2; }

# Stops the processes with SIGTERM, waits up to 30 s for each (the authority drains in-flight calls),
# then SIGKILLs what is left.
stop_pids() {
    local pid
    for pid in "$@"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "$@"; do
        for _ in $(seq 120); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.25
        done
        if kill -0 "$pid" 2>/dev/null; then
            log "pid $pid did not stop within 30 s; SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    done
}

# Stops every process the script started (the caller's PIDS array) and forgets them.
stop_all() {
    if [[ ${#PIDS[@]} -gt 0 ]]; then
        stop_pids "${PIDS[@]}"
    fi
    PIDS=()
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Exits when any of the ports is taken: a measurement must not talk to someone else's server.
require_free() {
    local port
    for port in "$@"; do
        if port_open "$port"; then
            log "port $port is already in use; refusing to measure someone else's server"
            exit 1
        fi
    done
}

create_database() {
    PG_DB=$1
    psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -q -c "CREATE DATABASE $PG_DB" postgres
}

drop_database() {
    if [[ -n "${PG_DB:-}" ]]; then
        log "dropping database $PG_DB"
        psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -q -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" postgres || true
        PG_DB=""
    fi
}
