#!/usr/bin/env bash
# Builds the jars, then runs the sidecar benchmarks against real processes on this machine:
#   1. SidecarLoad: Validate vs grpc.health.v1 Health/Check on one sidecar, over loopback TCP and its
#      Unix socket, at 1 and 64 calls in flight (authority on embedded H2). Part check-vs-validate: Envoy's
#      ext_authz Check against Validate the same way (same token, same sidecar, alternating slices).
#   2. PropagationBenchmark: RevokeToken -> valid=false on every sidecar,
#      a) one authority (H2) with 8 sidecars, one JVM each (part h2), or all 8 as independent
#         sidecars in one JVM (part h2-one-jvm: SidecarFleet, same ports; not a replacement for h2);
#      b) two authority replicas on one fresh PostgreSQL database, 4 sidecars on each, revocations
#         sent to replica A (the database is dropped afterwards).
# Every process it starts is stopped on exit (trap), whatever happens. Only 127.0.0.1 is used.
#
# Usage: benchmarks/run-sidecar-benchmarks.sh
# Settings (environment):
#   PARTS="load h2 postgresql"  which parts to run (also: h2-one-jvm, check-vs-validate)
#   BASE_PORT=17270             authority A = BASE_PORT+1, B = +2, load sidecar = +10, propagation sidecars = +11..
#   WARMUP=10s DURATION=15s SLICES=15 IN_FLIGHT=1,64 (SidecarLoad: per transport and in-flight level, a warm-up,
#                                                     then DURATION per method in SLICES alternating slices)
#   REVOCATIONS=1000 WARMUP_REVOCATIONS=200 SESSIONS=50 POLL_INTERVAL=1ms SIDECARS=8   (PropagationBenchmark)
#   SIDECAR_JAVA_OPTS="-Xmx128m -XX:+UseSerialGC"    JVM options of the propagation sidecars (one JVM each)
#   SIDECAR_FLEET_JAVA_OPTS="-Xmx512m"               JVM options of the one JVM of part h2-one-jvm
#   LOAD_SIDECAR_JAVA_OPTS=                          JVM options of the sidecar under load (default JVM)
#   AUTHORITY_JAVA_OPTS=                             JVM options of the authorities
#   BENCH_JAVA_OPTS=                                 JVM options of the load generators (e.g. a JFR recording)
#   PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres
#   MVN_ARGS=-o      extra Maven arguments (offline by default; MVN_ARGS= to allow downloads)
#   SKIP_BUILD=1     reuse the jars already in */target/
#   KEEP_LOGS=DIR    copy the processes' logs and the per-revocation CSVs (PropagationBenchmark --raw) to DIR on exit
set -euo pipefail

cd "$(dirname "$0")/.."
PARTS=${PARTS:-load h2 postgresql}
BASE_PORT=${BASE_PORT:-17270}
WARMUP=${WARMUP:-10s}
DURATION=${DURATION:-15s}
SLICES=${SLICES:-15}
IN_FLIGHT=${IN_FLIGHT:-1,64}
REVOCATIONS=${REVOCATIONS:-1000}
WARMUP_REVOCATIONS=${WARMUP_REVOCATIONS:-200}
SESSIONS=${SESSIONS:-50}
POLL_INTERVAL=${POLL_INTERVAL:-1ms}
SIDECARS=${SIDECARS:-8}
SIDECAR_JAVA_OPTS=${SIDECAR_JAVA_OPTS:--Xmx128m -XX:+UseSerialGC}
SIDECAR_FLEET_JAVA_OPTS=${SIDECAR_FLEET_JAVA_OPTS:--Xmx512m}
LOAD_SIDECAR_JAVA_OPTS=${LOAD_SIDECAR_JAVA_OPTS:-}
AUTHORITY_JAVA_OPTS=${AUTHORITY_JAVA_OPTS:-}
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:-}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
MVN_ARGS=${MVN_ARGS--o}

AUTH_A=$((BASE_PORT + 1))
AUTH_B=$((BASE_PORT + 2))
LOAD_SIDECAR=$((BASE_PORT + 10))
FIRST_SIDECAR=$((BASE_PORT + 11))
ISSUER=http://localhost:7070   # the authority's default --issuer

WORK=$(mktemp -d /tmp/sidecar-bench.XXXXXX)
# The authority needs a key-encryption key for PostgreSQL (README, Secrets at rest): one for this run.
(umask 077; head -c 32 /dev/urandom | base64 > "$WORK/kek")
PIDS=()
PG_DB=""

LOG_PREFIX=run-sidecar-benchmarks
# shellcheck source=benchmarks/lib.sh
source "$(dirname "$0")/lib.sh"

cleanup() {
    stop_all
    drop_database
    if [[ -n "${KEEP_LOGS:-}" ]]; then
        mkdir -p "$KEEP_LOGS" && cp "$WORK"/*.log "$WORK"/*.csv "$KEEP_LOGS"/ 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM


wait_port() { # pid port logfile [file that must exist]
    local pid=$1 port=$2 logfile=$3 file=${4:-}
    for _ in $(seq 240); do
        if ! kill -0 "$pid" 2>/dev/null; then
            log "pid $pid exited during start-up:"; tail -20 "$logfile" >&2; exit 1
        fi
        if port_open "$port" && { [[ -z "$file" ]] || [[ -s "$file" ]]; }; then
            return 0
        fi
        sleep 0.5
    done
    log "port $port not open within 120 s"; tail -20 "$logfile" >&2; exit 1
}

start_authority() { # name port [extra args]
    local name=$1 port=$2; shift 2
    require_free "$port"
    # shellcheck disable=SC2086
    java $AUTHORITY_JAVA_OPTS -jar "$WORK/authority-server.jar" serve --demo --web-port 0 --grpc-port "$port" \
        --data-dir "$WORK/$name" "$@" >"$WORK/$name.log" 2>&1 &
    PIDS+=($!)
    log "authority $name on $port (pid $!)"
    wait_port "$!" "$port" "$WORK/$name.log" "$WORK/$name/demo-sidecar.secret"
}

start_sidecar() { # name port authority-name authority-port java-opts [extra args]
    local name=$1 port=$2 auth_name=$3 auth_port=$4 opts=$5; shift 5
    require_free "$port"
    # shellcheck disable=SC2086
    java $opts -jar "$WORK/validator-sidecar.jar" --authority "127.0.0.1:$auth_port" --grpc-port "$port" \
        --issuer "$ISSUER" --audience demo-api --client-id demo-sidecar \
        --client-secret-file "$WORK/$auth_name/demo-sidecar.secret" --sidecar-id "$name" "$@" \
        >"$WORK/$name.log" 2>&1 &
    PIDS+=($!)
}

sidecar_list() { # first-port count
    local i out=""
    for ((i = 0; i < $2; i++)); do out+="${out:+,}127.0.0.1:$(($1 + i))"; done
    echo "$out"
}

if [[ -z "${SKIP_BUILD:-}" ]]; then
    log "building (mvn -B -q -DskipTests $MVN_ARGS package)"
    # shellcheck disable=SC2086
    mvn -B -q -DskipTests $MVN_ARGS package >&2
fi
# Private copies: a rebuild in the working tree during the run must not change what is measured.
cp authority-server/target/authority-server.jar validator-sidecar/target/validator-sidecar.jar \
    benchmarks/target/benchmarks.jar "$WORK/"
# shellcheck disable=SC2206
BENCH=(java $BENCH_JAVA_OPTS -cp "$WORK/benchmarks.jar")

echo "# Sidecar benchmarks, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "Machine: nproc=$(nproc), $(java -version 2>&1 | head -1), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

for part in $PARTS; do
    case "$part" in
        load|check-vs-validate)
            start_authority load-h2 "$AUTH_A"
            start_sidecar load-sidecar "$LOAD_SIDECAR" load-h2 "$AUTH_A" "$LOAD_SIDECAR_JAVA_OPTS" --uds "$WORK/sidecar.sock"
            load_sidecar_pid=${PIDS[-1]}
            echo; echo "## SidecarLoad, $part (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"; echo
            compare=()
            [[ "$part" == check-vs-validate ]] && compare=(--check-vs-validate)
            "${BENCH[@]}" dev.tokenauthority.bench.SidecarLoad --authority "127.0.0.1:$AUTH_A" \
                --tcp "127.0.0.1:$LOAD_SIDECAR" --uds "$WORK/sidecar.sock" --sidecar-pid "$load_sidecar_pid" \
                --warmup "$WARMUP" --duration "$DURATION" --slices "$SLICES" --in-flight "$IN_FLIGHT" \
                --label "sidecar under load" "${compare[@]}"
            stop_all
            ;;
        h2|h2-one-jvm)
            start_authority prop-h2 "$AUTH_A"
            if [[ "$part" == h2 ]]; then
                for ((i = 0; i < SIDECARS; i++)); do
                    start_sidecar "h2-sidecar-$i" $((FIRST_SIDECAR + i)) prop-h2 "$AUTH_A" "$SIDECAR_JAVA_OPTS"
                done
                shape="$SIDECARS sidecar JVMs"
            else
                require_free $(seq "$FIRST_SIDECAR" $((FIRST_SIDECAR + SIDECARS - 1)))
                # shellcheck disable=SC2086
                java $SIDECAR_FLEET_JAVA_OPTS -cp "$WORK/benchmarks.jar" dev.tokenauthority.bench.SidecarFleet \
                    --authority "127.0.0.1:$AUTH_A" --first-port "$FIRST_SIDECAR" --count "$SIDECARS" \
                    --issuer "$ISSUER" --audience demo-api --client-id demo-sidecar \
                    --client-secret-file "$WORK/prop-h2/demo-sidecar.secret" >"$WORK/h2-fleet.log" 2>&1 &
                PIDS+=($!)
                shape="$SIDECARS independent sidecars in ONE JVM (SidecarFleet)"
            fi
            echo; echo "## Propagation, one authority on H2, $shape (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"; echo
            "${BENCH[@]}" dev.tokenauthority.bench.PropagationBenchmark --authority "127.0.0.1:$AUTH_A" \
                --sidecars "$(sidecar_list "$FIRST_SIDECAR" "$SIDECARS")" --revocations "$REVOCATIONS" \
                --warmup-revocations "$WARMUP_REVOCATIONS" --sessions "$SESSIONS" --poll-interval "$POLL_INTERVAL" \
                --feed-probes "127.0.0.1:$AUTH_A" --probe-secret-file "$WORK/prop-h2/demo-sidecar.secret" \
                --raw "$WORK/propagation-$part.csv" --label "H2, 1 authority, $shape"
            stop_all
            ;;
        postgresql)
            create_database "ta_sidecar_bench_$(date +%s)_$$"
            url="jdbc:postgresql://$PGHOST:$PGPORT/$PG_DB"
            # One after the other: the first creates the schema and the demo data.
            start_authority pg-a "$AUTH_A" --db-url "$url" --db-user "$PGUSER" --key-encryption-key-file "$WORK/kek"
            # --demo on a database seeded from another data directory rotates demo-sidecar's secret
            # (DemoData.seedClients), which would lock A's sidecars out; give B the same secret file.
            mkdir -p "$WORK/pg-b" && cp "$WORK/pg-a/demo-sidecar.secret" "$WORK/pg-b/"
            start_authority pg-b "$AUTH_B" --db-url "$url" --db-user "$PGUSER" --key-encryption-key-file "$WORK/kek"
            half=$((SIDECARS / 2))
            for ((i = 0; i < half; i++)); do
                start_sidecar "pg-a-sidecar-$i" $((FIRST_SIDECAR + i)) pg-a "$AUTH_A" "$SIDECAR_JAVA_OPTS"
            done
            for ((i = half; i < SIDECARS; i++)); do
                start_sidecar "pg-b-sidecar-$i" $((FIRST_SIDECAR + i)) pg-b "$AUTH_B" "$SIDECAR_JAVA_OPTS"
            done
            echo; echo "## Propagation, two replicas on PostgreSQL, $half + $((SIDECARS - half)) sidecars (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"; echo
            "${BENCH[@]}" dev.tokenauthority.bench.PropagationBenchmark --authority "127.0.0.1:$AUTH_A" \
                --sidecars "$(sidecar_list "$FIRST_SIDECAR" "$half")" \
                --remote-sidecars "$(sidecar_list $((FIRST_SIDECAR + half)) $((SIDECARS - half)))" \
                --revocations "$REVOCATIONS" --warmup-revocations "$WARMUP_REVOCATIONS" --sessions "$SESSIONS" \
                --poll-interval "$POLL_INTERVAL" --feed-probes "127.0.0.1:$AUTH_A,127.0.0.1:$AUTH_B" \
                --probe-secret-file "$WORK/pg-a/demo-sidecar.secret" --raw "$WORK/propagation-pg.csv" \
                --label "PostgreSQL, 2 replicas, revocations to A"
            stop_all
            drop_database
            ;;
        *)
            log "unknown part $part (load, check-vs-validate, h2, h2-one-jvm or postgresql)"; exit 2
            ;;
    esac
done
