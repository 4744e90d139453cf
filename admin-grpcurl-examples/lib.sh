# Shared by every example: where the authority is, how a call is made, how a response is checked.
# Sourced, not run. Each example shows the grpcurl command it makes; `call` prints that command
# before running it, so what you read is what ran (or, with TA_CLIENT=buf, its `buf curl` twin).
#
# Environment:
#   TA_TARGET          host:port of a plaintext authority            (default localhost:7070)
#   TA_CLIENT          grpcurl | buf                                  (default grpcurl)
#   TA_STATE_DIR       where the admin token and exports are kept     (default ${TMPDIR:-/tmp}/ta-admin-examples)
#   TA_CLIENT_ID       the public client users log in with            (default demo-app)
#   TA_ADMIN_CLIENT_ID the public client admins log in with           (default admin-cli)
#   TA_ADMIN_EMAIL     (default admin@example.com)
#   TA_ADMIN_PASSWORD  (default demo-admin-password)
#   TA_USER_PASSWORD   the demo users' password                       (default demo-password)
#   TA_QUIET=1         do not echo the commands

set -euo pipefail

TA_TARGET=${TA_TARGET:-localhost:7070}
TA_CLIENT=${TA_CLIENT:-grpcurl}
TA_STATE_DIR=${TA_STATE_DIR:-${TMPDIR:-/tmp}/ta-admin-examples}
TA_CLIENT_ID=${TA_CLIENT_ID:-demo-app}
TA_ADMIN_CLIENT_ID=${TA_ADMIN_CLIENT_ID:-admin-cli}
TA_ADMIN_EMAIL=${TA_ADMIN_EMAIL:-admin@example.com}
TA_ADMIN_PASSWORD=${TA_ADMIN_PASSWORD:-demo-admin-password}
TA_USER_PASSWORD=${TA_USER_PASSWORD:-demo-password}
TA_ADMIN_TOKEN_FILE="$TA_STATE_DIR/admin.token"

AUTH=tokenauthority.v1.AuthService
ADMIN=tokenauthority.v1.AdminService

mkdir -p "$TA_STATE_DIR"

case "$TA_CLIENT" in
  grpcurl)
    command -v grpcurl >/dev/null || { echo "grpcurl is not on PATH (or run with TA_CLIENT=buf)" >&2; exit 2; } ;;
  buf)
    command -v buf >/dev/null || { echo "buf is not on PATH (npm install @bufbuild/buf)" >&2; exit 2; } ;;
  *)
    echo "TA_CLIENT must be grpcurl or buf, not '$TA_CLIENT'" >&2; exit 2 ;;
esac

# Prints one step's title.
step() {
  printf '\n== %s\n' "$*" >&2
}

# Prints the grpcurl command for a call; the admin token is shown as the file it comes from.
show() {
  local method=$1 json=$2 auth=${3:-}
  [[ "${TA_QUIET:-}" == 1 ]] && return 0
  local header=""
  [[ "$auth" == --admin ]] && header="-H \"authorization: Bearer \$(cat $TA_ADMIN_TOKEN_FILE)\" "
  [[ "$auth" == --bearer ]] && header="-H \"authorization: Bearer \$ACCESS_TOKEN\" "
  printf "$ grpcurl -plaintext %s-d '%s' %s %s\n" "$header" "$json" "$TA_TARGET" "$method" >&2
}

# call METHOD JSON [--admin | --bearer ACCESS_TOKEN]: makes the call and prints the response
# (JSON) on stdout. --admin sends the admin's access token, --bearer another user's.
# On an RPC error, prints the error on stderr, leaves it in $TA_STATE_DIR/last-error and fails.
call() {
  local method=$1 json=$2 auth=${3:-}
  show "$method" "$json" "$auth"
  local headers=() token
  if [[ "$auth" == --admin ]]; then
    token=$(admin_token) || return 1
    headers=(-H "authorization: Bearer $token")
  elif [[ "$auth" == --bearer ]]; then
    headers=(-H "authorization: Bearer $4")
  fi
  local out rc=0
  if [[ "$TA_CLIENT" == buf ]]; then
    out=$(buf curl --protocol grpc --http2-prior-knowledge --timeout 30s "${headers[@]}" \
      -d "$json" "http://$TA_TARGET/$method" 2>"$TA_STATE_DIR/last-error") || rc=$?
  else
    out=$(grpcurl -plaintext -max-time 30 "${headers[@]}" -d "$json" "$TA_TARGET" "$method" \
      2>"$TA_STATE_DIR/last-error") || rc=$?
  fi
  if (( rc != 0 )); then
    echo "FAILED: $method answered an error:" >&2
    sed 's/^/  /' "$TA_STATE_DIR/last-error" >&2
    return 1
  fi
  printf '%s\n' "$out"
}

# call_fails CODE METHOD JSON [--admin | --bearer ACCESS_TOKEN]: the call must fail with the gRPC status CODE
# (e.g. UNAUTHENTICATED, NOT_FOUND). grpcurl spells it "NotFound", buf curl "not_found".
call_fails() {
  local code=$1
  shift
  if call "$@" >/dev/null 2>&1; then
    fail "$1 succeeded, expected $code"
  fi
  local got
  got=$(grep -oiE '"code": *"[a-z_]+"|Code: *[A-Za-z]+' "$TA_STATE_DIR/last-error" | head -n 1 \
    | sed -E 's/.*[:] *"?([A-Za-z_]+)"?/\1/' | tr -d '_' | tr '[:upper:]' '[:lower:]')
  local want
  want=$(printf '%s' "$code" | tr -d '_' | tr '[:upper:]' '[:lower:]')
  [[ "$got" == "$want" ]] || fail "$1 failed with '${got:-?}', expected $code: $(cat "$TA_STATE_DIR/last-error")"
  echo "   failed as expected: $code" >&2
}

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# The JavaScript behind expect_json and json: reads the response(s) on stdin. A server-streaming
# call prints one JSON document per message, so `rs` holds them all and `r` the first.
# int64 fields arrive as strings ("totalSize": "3"): compare with Number(...). Fields at their
# default value (0, false, "", empty list) are omitted from the JSON.
TA_JS='
const text = require("fs").readFileSync(0, "utf8");
const rs = [];
let depth = 0, start = -1, inString = false, escaped = false;
for (let i = 0; i < text.length; i++) {
  const c = text[i];
  if (inString) { if (escaped) escaped = false; else if (c === "\\") escaped = true; else if (c === "\"") inString = false; continue; }
  if (c === "\"") inString = true;
  else if (c === "{") { if (depth++ === 0) start = i; }
  else if (c === "}") { if (--depth === 0) rs.push(JSON.parse(text.slice(start, i + 1))); }
}
const r = rs[0] || {};
const [mode, expr, message] = process.argv.slice(1);
let value;
try { value = (0, eval)("(r, rs) => (" + expr + ")")(r, rs); }
catch (e) { value = undefined; if (mode !== "expect") { console.error("FAIL: " + expr + ": " + e.message + "\n  response: " + text.trim().slice(0, 4000)); process.exit(1); } }
if (mode === "expect") {
  if (!value) { console.error("FAIL: " + message + "\n  expected: " + expr + "\n  response: " + text.trim().slice(0, 4000)); process.exit(1); }
  console.error("   ok: " + message);
} else {
  process.stdout.write(typeof value === "string" ? value : JSON.stringify(value));
}
'

# expect_json RESPONSE JS-EXPRESSION MESSAGE: fails unless the expression (over `r`, and `rs`
# for streams) is truthy.
expect_json() {
  printf '%s' "$1" | node -e "$TA_JS" expect "$2" "$3" || exit 1
}

# json RESPONSE JS-EXPRESSION: prints the value (strings raw, anything else as JSON).
json() {
  printf '%s' "$1" | node -e "$TA_JS" get "$2"
}

# Logs the admin in to admin-cli, the client whose tokens are for the admin audience
# (token-authority-admin), and keeps the access token in $TA_ADMIN_TOKEN_FILE (mode 600).
admin_login() {
  local response
  response=$(call "$AUTH/Login" "$(printf '{"client_id":"%s","username":"%s","password":"%s","audience":"token-authority-admin"}' \
    "$TA_ADMIN_CLIENT_ID" "$TA_ADMIN_EMAIL" "$TA_ADMIN_PASSWORD")") || exit 1
  expect_json "$response" 'r.accessToken && r.tokenType === "Bearer"' "the admin has a bearer access token"
  (umask 077 && json "$response" r.accessToken >"$TA_ADMIN_TOKEN_FILE")
  echo "   admin access token saved in $TA_ADMIN_TOKEN_FILE" >&2
}

# The admin access token; logs in first when there is none yet (01-login-as-admin.sh does it explicitly).
admin_token() {
  if [[ ! -s "$TA_ADMIN_TOKEN_FILE" ]]; then
    admin_login
  fi
  cat "$TA_ADMIN_TOKEN_FILE"
}

# login_user EMAIL [DEVICE-NAME]: a fresh session for a user; prints the TokenPair JSON.
login_user() {
  local email=$1 device=${2:-admin-grpcurl-examples}
  call "$AUTH/Login" "$(printf '{"client_id":"%s","username":"%s","password":"%s","device":{"name":"%s","user_agent":"admin-grpcurl-examples"}}' \
    "$TA_CLIENT_ID" "$email" "$TA_USER_PASSWORD" "$device")"
}

# A suffix that makes names and reasons unique per run, so examples can run again and again.
run_id() {
  printf '%s-%s' "$(date +%s)" "$RANDOM"
}
