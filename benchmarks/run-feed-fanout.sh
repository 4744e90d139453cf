#!/usr/bin/env bash
# Builds the jars, then measures one authority (a real process, `serve`, on a fresh PostgreSQL
# database that is dropped afterwards) under many revocation-feed subscribers, all in one load
# generator JVM with one HTTP/2 connection each:
#   1. fanout: FeedFanoutBenchmark - a steady revocation rate through the admin API, propagation to
#      every subscriber, the authority's heap per connected subscriber and CPU per event per subscriber;
#   2. storm: ReconnectStormBenchmark - a large live revocation state, then SIGKILL and restart of
#      the authority while every subscriber reconnects; time until all are fresh, peak heap, snapshots.
# Every process it starts is stopped on exit (trap), whatever happens. Only 127.0.0.1 is used.
#
# Usage: benchmarks/run-feed-fanout.sh
# Settings (environment):
#   PARTS="fanout storm"     which parts to run
#   SUBSCRIBERS=1000         subscribers (one connection each)
#   THREADS=2                Netty event loops (and callback threads) the subscribers share
#   RATE=50 DURATION=60 WARMUP=5 BASELINE=10   fanout: revocations/s; measured, warm-up and
#                                              no-subscriber baseline phases in seconds
#   STATE_ENTRIES=1000000    storm: live revocation-log entries seeded before it
#   SNAPSHOT_FRACTION=0.1    storm: subscribers that restart from nothing (and must get a snapshot)
#   INITIAL_SNAPSHOTS=1      storm: subscribers that take a snapshot before it (the others start
#                            at the seeded end of the log, as if synced before)
#   STORM_TIMEOUT=5m         storm: longest wait for all subscribers to be fresh, before and after
#   FULL_SNAPSHOTS=1         subscribers ask for snapshots in full (as sidecars did before the hashed
#                            form); unset: the hashed form, as the sidecar asks
#   BASE_PORT=17370          the authority's gRPC port is BASE_PORT+1
#   AUTHORITY_JAVA_OPTS="-Xmx512m"   JVM options of the authority (both starts)
#   BENCH_JAVA_OPTS="-Xmx1g"         JVM options of the load generator
#   PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres
#   MVN_ARGS=-o      extra Maven arguments (offline by default; MVN_ARGS= to allow downloads)
#   SKIP_BUILD=1     reuse the jars already in */target/
#   KEEP_LOGS=DIR    copy the authority's logs to DIR on exit
set -euo pipefail

cd "$(dirname "$0")/.."
PARTS=${PARTS:-fanout storm}
SUBSCRIBERS=${SUBSCRIBERS:-1000}
THREADS=${THREADS:-2}
RATE=${RATE:-50}
DURATION=${DURATION:-60}
WARMUP=${WARMUP:-5}
BASELINE=${BASELINE:-10}
STATE_ENTRIES=${STATE_ENTRIES:-1000000}
SNAPSHOT_FRACTION=${SNAPSHOT_FRACTION:-0.1}
INITIAL_SNAPSHOTS=${INITIAL_SNAPSHOTS:-1}
STORM_TIMEOUT=${STORM_TIMEOUT:-5m}
BASE_PORT=${BASE_PORT:-17370}
AUTHORITY_JAVA_OPTS=${AUTHORITY_JAVA_OPTS:--Xmx512m}
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx1g}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
MVN_ARGS=${MVN_ARGS--o}

AUTH_PORT=$((BASE_PORT + 1))
WORK=$(mktemp -d /tmp/feed-fanout.XXXXXX)
# The authority needs a key-encryption key for PostgreSQL (README, Secrets at rest): one for this run.
(umask 077; head -c 32 /dev/urandom | base64 > "$WORK/kek")
PG_DB=""

LOG_PREFIX=run-feed-fanout
# shellcheck source=benchmarks/lib.sh
source "$(dirname "$0")/lib.sh"

authority_pid() { cat "$WORK/authority.pid" 2>/dev/null || true; }

cleanup() {
    local pid
    pid=$(authority_pid)
    if [[ -n "$pid" ]]; then
        stop_pids "$pid"
    fi
    drop_database
    if [[ -n "${KEEP_LOGS:-}" ]]; then
        mkdir -p "$KEEP_LOGS" && cp "$WORK"/*.log "$KEEP_LOGS"/ 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Each subscriber holds one socket here and the authority one more; both processes are ours.
if (( $(ulimit -n) < 2 * SUBSCRIBERS + 1024 )); then
    ulimit -n "$(ulimit -Hn)"
fi

if port_open "$AUTH_PORT"; then
    log "port $AUTH_PORT is already in use; refusing to measure someone else's server"
    exit 1
fi

if [[ -z "${SKIP_BUILD:-}" ]]; then
    log "building (mvn -B -q -DskipTests $MVN_ARGS package)"
    # shellcheck disable=SC2086
    mvn -B -q -DskipTests $MVN_ARGS package -pl proto,cli-support,authority-server,validator-sidecar,benchmarks -am \
        -Denforcer.skip >&2
fi
# Private copies: a rebuild in the working tree during the run must not change what is measured.
cp authority-server/target/authority-server.jar benchmarks/target/benchmarks.jar "$WORK/"

create_database "ta_fanout_$(date +%s)_$$"
DB_URL="jdbc:postgresql://$PGHOST:$PGPORT/$PG_DB"

# Starts the authority in the background, records its pid and prints it: the storm benchmark runs
# this very script to restart the authority with the same flags and database after killing it.
cat > "$WORK/start-authority.sh" <<START
#!/usr/bin/env bash
set -euo pipefail
shopt -s nullglob
logs=("$WORK"/authority-*.log)
java $AUTHORITY_JAVA_OPTS -jar "$WORK/authority-server.jar" serve --demo --web-port 0 --grpc-port $AUTH_PORT \\
    --data-dir "$WORK/authority" --db-url "$DB_URL" --db-user "$PGUSER" --key-encryption-key-file "$WORK/kek" \\
    </dev/null >"$WORK/authority-\$((\${#logs[@]} + 1)).log" 2>&1 &
echo \$! > "$WORK/authority.pid"
echo \$!
START
chmod +x "$WORK/start-authority.sh"

wait_authority() {
    local pid
    pid=$(authority_pid)
    for _ in $(seq 240); do
        if ! kill -0 "$pid" 2>/dev/null; then
            log "the authority exited during start-up:"; tail -20 "$WORK"/authority-*.log >&2; exit 1
        fi
        if port_open "$AUTH_PORT" && [[ -s "$WORK/authority/demo-sidecar.secret" ]]; then
            return 0
        fi
        sleep 0.5
    done
    log "port $AUTH_PORT not open within 120 s"; exit 1
}

"$WORK/start-authority.sh" >/dev/null
wait_authority
log "authority on $AUTH_PORT (pid $(authority_pid)), database $PG_DB"

# shellcheck disable=SC2206
BENCH=(java $BENCH_JAVA_OPTS -cp "$WORK/benchmarks.jar")
COMMON=(--authority "127.0.0.1:$AUTH_PORT" --client-secret-file "$WORK/authority/demo-sidecar.secret"
        --subscribers "$SUBSCRIBERS" --threads "$THREADS" ${FULL_SNAPSHOTS:+--full-snapshots})

echo "# Feed fan-out and reconnect storm, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "Machine: nproc=$(nproc), $(java -version 2>&1 | head -1), load average at start: $(cut -d' ' -f1-3 /proc/loadavg);"
echo "authority: PostgreSQL $(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -Atc 'SHOW server_version' postgres), $AUTHORITY_JAVA_OPTS; load generator: $BENCH_JAVA_OPTS"

status=0
for part in $PARTS; do
    case "$part" in
        fanout)
            echo; echo "## Fan-out (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"; echo
            "${BENCH[@]}" dev.tokenauthority.bench.FeedFanoutBenchmark "${COMMON[@]}" --authority-pid "$(authority_pid)" \
                --rate "$RATE" --duration "${DURATION}s" --warmup "${WARMUP}s" --baseline "${BASELINE}s" || status=$?
            ;;
        storm)
            echo; echo "## Reconnect storm (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"; echo
            "${BENCH[@]}" dev.tokenauthority.bench.ReconnectStormBenchmark "${COMMON[@]}" --authority-pid "$(authority_pid)" \
                --db-url "$DB_URL" --db-user "$PGUSER" --state-entries "$STATE_ENTRIES" \
                --snapshot-fraction "$SNAPSHOT_FRACTION" --initial-snapshots "$INITIAL_SNAPSHOTS" \
                --timeout "$STORM_TIMEOUT" --restart-command "$WORK/start-authority.sh" || status=$?
            if grep -l OutOfMemoryError "$WORK"/authority-*.log >/dev/null 2>&1; then
                echo "The authority ran out of heap (OutOfMemoryError in its log)."
                status=3
            fi
            echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
            ;;
        *)
            log "unknown part $part (fanout or storm)"; exit 2
            ;;
    esac
done
exit "$status"
