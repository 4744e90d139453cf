#!/usr/bin/env bash
# Builds the jars, then measures Login, Refresh and Introspect (dev.tokenauthority.bench.AuthorityLoad)
# against a fresh authority on embedded H2 and then on a fresh PostgreSQL database, and prints both
# markdown tables. The authority and the load generator run on the same machine and share its cores.
#
# Usage: benchmarks/run-authority-load.sh
# Settings (environment):
#   PORT=17171            gRPC port of the authority under test (loopback only)
#   DURATION=20s          measured window per cell;  WARMUP=30s  warm-up per cell (JIT compilation
#                         of the authority runs ~30-45 s into the load on 2 shared cores)
#   CONCURRENCY=1,16      OPS=login,refresh,introspect
#   DATABASES="h2 postgresql"
#   PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres   (a fresh database is created and dropped)
#   MVN_ARGS=-o           extra Maven arguments (offline by default; MVN_ARGS= to allow downloads)
#   SKIP_BUILD=1          reuse the jars already in target/
#   LOAD_ARGS=            extra AuthorityLoad options, e.g. --channel-per-client
#   AUTHORITY_JAVA_OPTS=  JVM options of the authority
set -euo pipefail

cd "$(dirname "$0")/.."
PORT=${PORT:-17171}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-30s}
CONCURRENCY=${CONCURRENCY:-1,16}
OPS=${OPS:-login,refresh,introspect}
DATABASES=${DATABASES:-h2 postgresql}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
MVN_ARGS=${MVN_ARGS--o}
LOAD_ARGS=${LOAD_ARGS:-}
AUTHORITY_JAVA_OPTS=${AUTHORITY_JAVA_OPTS:-}

SERVER_JAR=authority-server/target/authority-server.jar
BENCH_JAR=benchmarks/target/benchmarks.jar
WORK=$(mktemp -d /tmp/authority-load.XXXXXX)
# The authority needs a key-encryption key for PostgreSQL (README, Secrets at rest): one for this run.
(umask 077; head -c 32 /dev/urandom | base64 > "$WORK/kek")
PG_DB=""
SERVER_PID=""

LOG_PREFIX=run-authority-load
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
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM


# Starts the authority with --demo and the given extra arguments; returns once the port answers.
start_server() {
    local name=$1; shift
    local data_dir="$WORK/$name"
    if port_open "$PORT"; then
        log "port $PORT is already in use; refusing to measure someone else's server"
        exit 1
    fi
    # shellcheck disable=SC2086
    java $AUTHORITY_JAVA_OPTS -jar "$SERVER_JAR" serve --demo --web-port 0 --grpc-port "$PORT" --data-dir "$data_dir" "$@" \
        >"$WORK/$name-authority.log" 2>&1 &
    SERVER_PID=$!
    log "authority ($name) started, pid $SERVER_PID; waiting for port $PORT"
    for _ in $(seq 120); do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            log "authority exited during start-up:"; tail -20 "$WORK/$name-authority.log" >&2; exit 1
        fi
        if port_open "$PORT" && [[ -s "$data_dir/demo-sidecar.secret" ]]; then
            return 0
        fi
        sleep 0.5
    done
    log "authority did not open port $PORT within 60 s"; tail -20 "$WORK/$name-authority.log" >&2; exit 1
}

run_load() {
    local name=$1
    log "load on $name: $OPS at $CONCURRENCY clients, $WARMUP warm-up + $DURATION per cell (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
    # shellcheck disable=SC2086
    java -cp "$BENCH_JAR" dev.tokenauthority.bench.AuthorityLoad --target "127.0.0.1:$PORT" \
        --secret-file "$WORK/$name/demo-sidecar.secret" --duration "$DURATION" --warmup "$WARMUP" \
        --concurrency "$CONCURRENCY" --ops "$OPS" --label "$name" $LOAD_ARGS | tee "$WORK/$name.md"
    log "load average after $name: $(cut -d' ' -f1-3 /proc/loadavg)"
}

if [[ -z "${SKIP_BUILD:-}" ]]; then
    log "building proto, authority-server, benchmarks"
    # shellcheck disable=SC2086
    mvn -B -q -DskipTests $MVN_ARGS package -pl proto,authority-server,benchmarks -am >&2
fi

for db in $DATABASES; do
    case "$db" in
        h2)
            start_server h2
            run_load h2
            stop_server
            ;;
        postgresql)
            create_database "ta_bench_$(date +%s)_$$"
            start_server postgresql --db-url "jdbc:postgresql://$PGHOST:$PGPORT/$PG_DB" --db-user "$PGUSER" \
                --key-encryption-key-file "$WORK/kek"
            run_load postgresql
            stop_server
            drop_database
            ;;
        *)
            log "unknown database $db (h2 or postgresql)"; exit 2
            ;;
    esac
done

echo
echo "## Results ($(nproc) cores shared by the authority, its database and the load generator; $(java -version 2>&1 | head -1))"
for db in $DATABASES; do
    echo
    echo "### $db"
    echo
    cat "$WORK/$db.md"
done
