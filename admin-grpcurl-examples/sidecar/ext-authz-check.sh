#!/usr/bin/env bash
# Envoy's external authorizer, called by hand: what Envoy's ext_authz filter asks the sidecar for each request
# (envoy.service.auth.v3.Authorization/Check), with the request's headers and the route's context_extensions.
# An accepted request gets the token's subject, client, scopes and session as headers for the upstream; a revoked
# token is a 401 with RFC 6750's WWW-Authenticate; a missing scope a 403.
#
#   grpcurl -plaintext -d '{"attributes":{"request":{"http":{"method":"GET","path":"/orders",
#       "headers":{"authorization":"Bearer <access_token>"}}},"context_extensions":{"required_scopes":"read"}}}' \
#     localhost:7171 envoy.service.auth.v3.Authorization/Check
#
# Needs an authority (TA_TARGET, default localhost:7070) and a sidecar following it (TA_SIDECAR_TARGET, default
# localhost:7171), as ./.ci/run-demo starts them.
source "$(dirname "$0")/../lib.sh"
TA_SIDECAR_TARGET=${TA_SIDECAR_TARGET:-localhost:7171}
CHECK=envoy.service.auth.v3.Authorization/Check

# check TOKEN [ROUTE-EXTENSIONS-JSON]: Envoy's CheckRequest for GET /orders bearing TOKEN, at the sidecar.
check() {
  local body
  body=$(printf '{"attributes":{"request":{"http":{"method":"GET","path":"/orders","headers":{"authorization":"Bearer %s","x-token-subject":"forged"}}},"context_extensions":%s}}' \
    "$1" "${2:-{\}}")
  TA_TARGET=$TA_SIDECAR_TARGET call "$CHECK" "$body"
}

step "alice logs in; the sidecar accepts her token and tells the upstream who she is"
pair=$(login_user alice@example.com "ext_authz example")
access=$(json "$pair" "r.accessToken")
session=$(json "$pair" "r.sessionId")
ok=$(check "$access" '{"required_scopes":"read"}')
expect_json "$ok" "!r.status || !r.status.code" "OK"
expect_json "$ok" "r.okResponse.headers.some(h => h.header.key === 'x-token-session-id' && h.header.value === '$session')" \
  "the session for the upstream"
expect_json "$ok" "r.okResponse.headers.filter(h => h.header.key === 'x-token-subject').every(h => h.header.value !== 'forged')" \
  "the client's forged x-token-subject replaced"

step "a scope the token lacks: 403, insufficient_scope"
denied=$(check "$access" '{"required_scopes":"admin"}')
expect_json "$denied" "r.status.code === 7 && r.deniedResponse.status.code === 'Forbidden'" "PERMISSION_DENIED, HTTP 403"
expect_json "$denied" "r.deniedResponse.headers.some(h => /insufficient_scope/.test(h.header.value))" \
  "WWW-Authenticate names insufficient_scope"

step "an admin ends the session, waiting for the sidecars; the sidecar then refuses the token: 401"
call "$ADMIN/RevokeSession" "{\"session_id\":\"$session\",\"reason\":\"ext_authz example\",\"wait_for_sidecars\":{\"timeout\":\"5s\"}}" \
  --admin >/dev/null
revoked=$(check "$access")
expect_json "$revoked" "r.status.code === 16 && r.deniedResponse.status.code === 'Unauthorized'" "UNAUTHENTICATED, HTTP 401"
expect_json "$revoked" "r.deniedResponse.headers.some(h => h.header.value === 'Bearer error=\"invalid_token\", error_description=\"SESSION_REVOKED\"')" \
  "WWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"SESSION_REVOKED\" (RFC 6750 section 3)"
