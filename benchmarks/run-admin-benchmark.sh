#!/usr/bin/env bash
# The admin API at a million refresh tokens (dev.tokenauthority.bench.AdminApiBenchmark): creates a
# fresh PostgreSQL database, starts the authority on it with --demo, seeds 1M refresh tokens by SQL,
# measures ListTokens, BatchRevokeTokens (+ feed) and ExportTokens, then stops the authority and drops
# the database (also on failure or Ctrl-C). The authority, PostgreSQL and the benchmark share the
# machine's cores.
#
# Usage: benchmarks/run-admin-benchmark.sh
# Settings (environment):
#   PORT=17371                       gRPC port of the authority under test (loopback only)
#   PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres
#   AUTHORITY_JAVA_OPTS=-Xmx512m     JVM options of the authority (a bounded heap makes "flat memory" visible)
#   BENCH_ARGS=                      extra AdminApiBenchmark options, e.g. "--calls 100 --revoke-rounds 1"
#   MVN_ARGS=-o  SKIP_BUILD=1        as in run-authority-load.sh
#   OUT_DIR=                         keep the report, EXPLAIN plans and authority log here (default: a temp dir, removed)
set -euo pipefail

cd "$(dirname "$0")/.."
PORT=${PORT:-17371}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
AUTHORITY_JAVA_OPTS=${AUTHORITY_JAVA_OPTS:--Xmx512m}
BENCH_ARGS=${BENCH_ARGS:-}
MVN_ARGS=${MVN_ARGS--o}

SERVER_JAR=authority-server/target/authority-server.jar
BENCH_JAR=benchmarks/target/benchmarks.jar
WORK=$(mktemp -d /tmp/admin-benchmark.XXXXXX)
# The authority needs a key-encryption key for PostgreSQL (README, Secrets at rest): one for this run.
(umask 077; head -c 32 /dev/urandom | base64 > "$WORK/kek")
OUT_DIR=${OUT_DIR:-}
PG_DB=""
SERVER_PID=""

LOG_PREFIX=run-admin-benchmark
# shellcheck source=benchmarks/lib.sh
source "$(dirname "$0")/lib.sh"

stop_server() {
    if [[ -n "$SERVER_PID" ]]; then
        log "stopping authority (pid $SERVER_PID, SIGTERM)"
        stop_pids "$SERVER_PID"
    fi
    SERVER_PID=""
}

cleanup() {
    stop_server
    drop_database
    rm -f "$WORK"/*.jar
    if [[ -n "$OUT_DIR" ]]; then
        mkdir -p "$OUT_DIR" && cp -r "$WORK"/. "$OUT_DIR"/ || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM


if [[ -z "${SKIP_BUILD:-}" ]]; then
    log "building the benchmarks module (authority-server from the local repository)"
    # shellcheck disable=SC2086
    mvn -B -q -DskipTests $MVN_ARGS package -pl benchmarks -am >&2
fi
require_free "$PORT"

# Private copies: others may rebuild target/ while this runs, and a JVM whose jar was replaced
# fails with NoClassDefFoundError on the next class it loads.
cp "$SERVER_JAR" "$WORK/authority-server.jar"
cp "$BENCH_JAR" "$WORK/benchmarks.jar"
SERVER_JAR="$WORK/authority-server.jar"
BENCH_JAR="$WORK/benchmarks.jar"

create_database "ta_admin_bench_$(date +%s)_$$"
DB_URL="jdbc:postgresql://$PGHOST:$PGPORT/$PG_DB"

# shellcheck disable=SC2086
java $AUTHORITY_JAVA_OPTS -jar "$SERVER_JAR" serve --demo --web-port 0 --grpc-port "$PORT" --data-dir "$WORK/data" \
    --db-url "$DB_URL" --db-user "$PGUSER" --key-encryption-key-file "$WORK/kek" >"$WORK/authority.log" 2>&1 &
SERVER_PID=$!
log "authority started, pid $SERVER_PID ($AUTHORITY_JAVA_OPTS); waiting for port $PORT"
for _ in $(seq 120); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        log "authority exited during start-up:"; tail -20 "$WORK/authority.log" >&2; exit 1
    fi
    if port_open "$PORT" && [[ -s "$WORK/data/demo-sidecar.secret" ]]; then
        break
    fi
    sleep 0.5
done
port_open "$PORT" || { log "authority did not open port $PORT within 60 s"; tail -20 "$WORK/authority.log" >&2; exit 1; }

log "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "## Run $(date -u +%Y-%m-%dT%H:%MZ): $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1), $(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -Atc 'SHOW server_version' postgres) (shared_buffers $(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -Atc 'SHOW shared_buffers' postgres), work_mem $(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -Atc 'SHOW work_mem' postgres)); authority $AUTHORITY_JAVA_OPTS"
echo
# shellcheck disable=SC2086
java -cp "$BENCH_JAR" dev.tokenauthority.bench.AdminApiBenchmark --authority "127.0.0.1:$PORT" \
    --authority-pid "$SERVER_PID" --secret-file "$WORK/data/demo-sidecar.secret" \
    --db-url "$DB_URL" --db-user "$PGUSER" --plans-out "$WORK/plans.txt" $BENCH_ARGS | tee "$WORK/report.md"
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
