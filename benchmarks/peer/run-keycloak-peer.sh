#!/usr/bin/env bash
# Keycloak against the authority on the same local PostgreSQL server, one after the other, each on
# a fresh database of its own (created here, dropped on exit): refresh with rotation at 1 and 16
# clients (throughput, p50/p99, CPU per rotation of the server and of its PostgreSQL backends),
# token checks at 16 clients (Keycloak's introspection endpoint against a sidecar's Validate), and
# force logout of a user with N sessions. Then the ratios, authority / Keycloak, against the targets.
# Not part of CI: it downloads Keycloak (Maven Central, ~165 MB, cached in benchmarks/peer/.cache).
#
# Keycloak: the Quarkus distribution, `kc.sh start-dev` on the Temurin 25 JDK; a realm with refresh-token
# rotation (revokeRefreshToken=true, refreshTokenMaxReuse=0), a confidential client and two users,
# created through its admin REST API. The realm's password policy hashes with one PBKDF2 iteration so
# that the logout user's 1,000 (or 10,000) real logins take seconds; no measured call checks a password.
# The authority: `serve --demo` plus a sidecar; PeerBenchmark creates its confidential client and users.
#
# Usage: benchmarks/peer/run-keycloak-peer.sh   (measures under an exclusive lock on LOCK_FILE)
# Settings (environment):
#   WARMUP=45s DURATION=20s       warm-up and measured window per closed-loop cell (Keycloak's JIT needs the 45 s:
#                                 after 20 s it still spent twice the CPU per rotation)
#   CONCURRENCY=1,16              clients per rotation cell;  CHECK_CONCURRENCY=16  clients for token checks
#   LOGOUT_SESSIONS=1000,10000    the authority's force-logout sizes;  KEYCLOAK_LOGOUT_SESSIONS=1000  Keycloak's
#   LOGOUT_ROUNDS=3               force logouts per size (median reported)
#   LOGOUT_WARMUP=0               untimed force logouts of a user with 2 sessions first (JIT warm-up)
#   SYSTEMS="keycloak authority"  PHASES=rotation,checks,logout
#   KEYCLOAK_VERSION=26.5.6  KEYCLOAK_JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64  KEYCLOAK_PORT=18480
#   AUTHORITY_PORT=17471 SIDECAR_PORT=17472   AUTHORITY_JAVA_OPTS= SIDECAR_JAVA_OPTS=
#   PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres
#   MVN_ARGS=-o  SKIP_BUILD=1  LOCK_FILE=/tmp/bench.lock  KEEP_LOGS=DIR (copy the servers' logs and results.tsv there on exit)
set -euo pipefail

cd "$(dirname "$0")/../.."
WARMUP=${WARMUP:-45s}
DURATION=${DURATION:-20s}
CONCURRENCY=${CONCURRENCY:-1,16}
CHECK_CONCURRENCY=${CHECK_CONCURRENCY:-16}
LOGOUT_SESSIONS=${LOGOUT_SESSIONS:-1000,10000}
KEYCLOAK_LOGOUT_SESSIONS=${KEYCLOAK_LOGOUT_SESSIONS:-1000}
LOGOUT_ROUNDS=${LOGOUT_ROUNDS:-3}
LOGOUT_WARMUP=${LOGOUT_WARMUP:-0}
SYSTEMS=${SYSTEMS:-keycloak authority}
PHASES=${PHASES:-rotation,checks,logout}
KEYCLOAK_VERSION=${KEYCLOAK_VERSION:-26.5.6}
KEYCLOAK_JAVA_HOME=${KEYCLOAK_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
KEYCLOAK_PORT=${KEYCLOAK_PORT:-18480}
AUTHORITY_PORT=${AUTHORITY_PORT:-17471}
SIDECAR_PORT=${SIDECAR_PORT:-17472}
AUTHORITY_JAVA_OPTS=${AUTHORITY_JAVA_OPTS:-}
SIDECAR_JAVA_OPTS=${SIDECAR_JAVA_OPTS:-}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
MVN_ARGS=${MVN_ARGS--o}
LOCK_FILE=${LOCK_FILE:-/tmp/bench.lock}

CACHE=benchmarks/peer/.cache
KEYCLOAK_HOME=$CACHE/keycloak-$KEYCLOAK_VERSION
KEYCLOAK_URL=http://127.0.0.1:$KEYCLOAK_PORT
REALM=peer
CLIENT_SECRET=peer-secret
KEYCLOAK_ADMIN_PASSWORD=peer-admin-password
USER_PASSWORD=peer-password
WORK=$(mktemp -d /tmp/keycloak-peer.XXXXXX)
(umask 077; head -c 32 /dev/urandom | base64 > "$WORK/kek")
PIDS=()
PG_DB=""

LOG_PREFIX=run-keycloak-peer
# shellcheck source=benchmarks/lib.sh
source benchmarks/lib.sh

cleanup() {
    stop_all
    drop_database
    if [[ -n "${KEEP_LOGS:-}" ]]; then
        mkdir -p "$KEEP_LOGS" && cp "$WORK"/*.log "$WORK"/results.tsv "$KEEP_LOGS"/ 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_until() { # pid logfile seconds command...: until the command succeeds, the pid dies or time runs out
    local pid=$1 logfile=$2 seconds=$3; shift 3
    for _ in $(seq $((seconds * 2))); do
        if ! kill -0 "$pid" 2>/dev/null; then
            log "pid $pid exited during start-up:"; tail -20 "$logfile" >&2; exit 1
        fi
        if "$@"; then
            return 0
        fi
        sleep 0.5
    done
    log "not ready within $seconds s:"; tail -20 "$logfile" >&2; exit 1
}

fetch_keycloak() {
    if [[ ! -x "$KEYCLOAK_HOME/bin/kc.sh" ]]; then
        log "fetching Keycloak $KEYCLOAK_VERSION into $CACHE"
        mvn -B -q dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip" \
            -DoutputDirectory="$CACHE" >&2
        (cd "$CACHE" && unzip -q "keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip")
    fi
}

keycloak_admin_token() {
    curl -sf -d grant_type=password -d client_id=admin-cli -d username=admin -d "password=$KEYCLOAK_ADMIN_PASSWORD" \
        "$KEYCLOAK_URL/realms/master/protocol/openid-connect/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/'
}

keycloak_post() { # token path json
    curl -sf -o /dev/null -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$3" "$KEYCLOAK_URL$2"
}

keycloak_ready() { curl -sf -o /dev/null "$KEYCLOAK_URL/realms/master/.well-known/openid-configuration"; }

start_keycloak() {
    require_free "$KEYCLOAK_PORT"
    KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=$KEYCLOAK_ADMIN_PASSWORD \
        JAVA_HOME=$KEYCLOAK_JAVA_HOME PATH="$KEYCLOAK_JAVA_HOME/bin:$PATH" \
        "$KEYCLOAK_HOME/bin/kc.sh" start-dev --db postgres --db-url "jdbc:postgresql://$PGHOST:$PGPORT/$PG_DB" \
        --db-username "$PGUSER" --db-password unused --http-host 127.0.0.1 --http-port "$KEYCLOAK_PORT" \
        >"$WORK/keycloak.log" 2>&1 &
    PIDS+=($!)
    local launcher=$!
    log "Keycloak started, pid $launcher; waiting for $KEYCLOAK_URL"
    wait_until "$launcher" "$WORK/keycloak.log" 240 keycloak_ready
    # kc.sh runs Java as its child and forwards SIGTERM to it (or, after a re-augmentation, execs it):
    # the server whose CPU counts is that JVM.
    SERVER_PID=$(pgrep -P "$launcher" java || echo "$launcher")
    log "Keycloak's JVM: pid $SERVER_PID"
    local token
    token=$(keycloak_admin_token)
    keycloak_post "$token" /admin/realms "{\"realm\":\"$REALM\",\"enabled\":true,\"revokeRefreshToken\":true,
        \"refreshTokenMaxReuse\":0,\"accessTokenLifespan\":900,\"ssoSessionIdleTimeout\":36000,
        \"ssoSessionMaxLifespan\":36000,\"passwordPolicy\":\"hashAlgorithm(pbkdf2-sha256) and hashIterations(1)\"}"
    keycloak_post "$token" "/admin/realms/$REALM/clients" "{\"clientId\":\"peer-app\",\"enabled\":true,
        \"publicClient\":false,\"secret\":\"$CLIENT_SECRET\",\"directAccessGrantsEnabled\":true,
        \"standardFlowEnabled\":false}"
    local user
    for user in peer-load peer-logout; do
        keycloak_post "$token" "/admin/realms/$REALM/users" "{\"username\":\"$user\",\"email\":\"$user@example.com\",
            \"firstName\":\"Peer\",\"lastName\":\"User\",\"emailVerified\":true,\"enabled\":true,
            \"credentials\":[{\"type\":\"password\",\"value\":\"$USER_PASSWORD\",\"temporary\":false}]}"
    done
    log "realm $REALM, client peer-app and users peer-load, peer-logout created"
}

start_authority() {
    require_free "$AUTHORITY_PORT" "$SIDECAR_PORT"
    # shellcheck disable=SC2086
    java $AUTHORITY_JAVA_OPTS -jar "$WORK/authority-server.jar" serve --demo --web-port 0 --grpc-port "$AUTHORITY_PORT" \
        --data-dir "$WORK/authority" --db-url "jdbc:postgresql://$PGHOST:$PGPORT/$PG_DB" --db-user "$PGUSER" \
        --key-encryption-key-file "$WORK/kek" >"$WORK/authority.log" 2>&1 &
    PIDS+=($!)
    SERVER_PID=$!
    log "authority started, pid $SERVER_PID"
    wait_until "$SERVER_PID" "$WORK/authority.log" 120 \
        eval "port_open $AUTHORITY_PORT && [[ -s $WORK/authority/demo-sidecar.secret ]]"
    # shellcheck disable=SC2086
    java $SIDECAR_JAVA_OPTS -jar "$WORK/validator-sidecar.jar" --authority "127.0.0.1:$AUTHORITY_PORT" \
        --grpc-port "$SIDECAR_PORT" --issuer http://localhost:7070 --audience demo-api --client-id demo-sidecar \
        --client-secret-file "$WORK/authority/demo-sidecar.secret" --sidecar-id peer-sidecar >"$WORK/sidecar.log" 2>&1 &
    PIDS+=($!)
    SIDECAR_PID=$!
    wait_until "$SIDECAR_PID" "$WORK/sidecar.log" 120 port_open "$SIDECAR_PORT"
    log "sidecar started, pid $SIDECAR_PID"
}

measure() { # system extra-args...
    local system=$1; shift
    log "measuring $system (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
    java -cp "$WORK/benchmarks.jar" dev.tokenauthority.bench.PeerBenchmark --system "$system" --phases "$PHASES" \
        --server-pid "$SERVER_PID" --database "$PG_DB" --pg-url "jdbc:postgresql://$PGHOST:$PGPORT/" --pg-user "$PGUSER" \
        --results "$WORK/results.tsv" --warmup "$WARMUP" --duration "$DURATION" --concurrency "$CONCURRENCY" \
        --check-concurrency "$CHECK_CONCURRENCY" --logout-rounds "$LOGOUT_ROUNDS" --logout-warmup "$LOGOUT_WARMUP" --realm "$REALM" \
        --keycloak-url "$KEYCLOAK_URL" --keycloak-client-secret "$CLIENT_SECRET" \
        --keycloak-admin-password "$KEYCLOAK_ADMIN_PASSWORD" --password "$USER_PASSWORD" \
        --authority "127.0.0.1:$AUTHORITY_PORT" --sidecar "127.0.0.1:$SIDECAR_PORT" "$@"
    log "load average after $system: $(cut -d' ' -f1-3 /proc/loadavg)"
}

if [[ -z "${SKIP_BUILD:-}" ]]; then
    log "building (mvn -B -q -DskipTests $MVN_ARGS package -pl proto,cli-support,authority-server,validator-sidecar,benchmarks -am)"
    # shellcheck disable=SC2086
    mvn -B -q -DskipTests $MVN_ARGS package -pl proto,cli-support,authority-server,validator-sidecar,benchmarks -am \
        -Denforcer.skip >&2
fi
# Private copies: a rebuild in the working tree during the run must not change what is measured.
cp authority-server/target/authority-server.jar validator-sidecar/target/validator-sidecar.jar \
    benchmarks/target/benchmarks.jar "$WORK/"
[[ " $SYSTEMS " == *" keycloak "* ]] && fetch_keycloak

exec 9>"$LOCK_FILE"
log "waiting for the benchmark lock $LOCK_FILE"
flock 9

echo "# Keycloak $KEYCLOAK_VERSION and the authority, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "Machine: nproc=$(nproc), PostgreSQL $(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -Atc 'SHOW server_version' postgres)," \
    "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for system in $SYSTEMS; do
    create_database "peer_${system}_$(date +%s)_$$"
    case "$system" in
        keycloak)
            start_keycloak
            measure keycloak --logout-sessions "$KEYCLOAK_LOGOUT_SESSIONS"
            ;;
        authority)
            start_authority
            measure authority --logout-sessions "$LOGOUT_SESSIONS" --checker-pid "$SIDECAR_PID"
            ;;
        *)
            log "unknown system $system (keycloak or authority)"; exit 2
            ;;
    esac
    stop_all
    drop_database
done

echo
echo "## Authority / Keycloak"
echo
java -cp "$WORK/benchmarks.jar" dev.tokenauthority.bench.PeerComparison "$WORK/results.tsv"
