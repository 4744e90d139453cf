#!/usr/bin/env bash
# List sessions (user, client, login time, last seen, expiry, IP, device) and end one.
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"query":"alice@example.com","active_only":true,"order_by":"login_at desc","page_size":10}' \
#     localhost:7070 tokenauthority.v1.AdminService/ListSessions
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"session_id":"ses_...","reason":"unknown device"}' \
#     localhost:7070 tokenauthority.v1.AdminService/RevokeSession
source "$(dirname "$0")/lib.sh"

device="09 phone $(run_id)"

step "alice logs in from a named device"
pair=$(login_user alice@example.com "$device")
session_id=$(json "$pair" r.sessionId)
token_id=$(json "$pair" r.refreshTokenId)

step "alice's active sessions, newest login first"
sessions=$(call "$ADMIN/ListSessions" '{"query":"alice@example.com","active_only":true,"order_by":"login_at desc","page_size":10}' --admin)
expect_json "$sessions" "r.sessions.length >= 1 && r.sessions.every(s => s.userEmail === 'alice@example.com')" "alice's sessions"
expect_json "$sessions" "r.sessions.every((s, i) => i === 0 || r.sessions[i - 1].loginAt >= s.loginAt)" "newest login first"
expect_json "$sessions" "r.sessions.some(s => s.sessionId === '$session_id' && s.deviceName === '$device' && s.clientId === 'demo-app' && s.ip)" \
  "the new session, with its device, client and IP"

step "end that session"
result=$(call "$ADMIN/RevokeSession" "{\"session_id\":\"$session_id\",\"reason\":\"unknown device\"}" --admin)
expect_json "$result" 'Number(r.revokedSessions) === 1 && Number(r.feedSequence) > 0' "one session revoked"

step "it is no longer active, and neither is its refresh token"
sessions=$(call "$ADMIN/ListSessions" "{\"query\":\"$session_id\",\"active_only\":true}" --admin)
expect_json "$sessions" "!(r.sessions || []).some(s => s.sessionId === '$session_id')" "not among the active sessions"
details=$(call "$ADMIN/GetToken" "{\"token_id\":\"$token_id\"}" --admin)
expect_json "$details" "r.token.status === 'TOKEN_STATUS_REVOKED' && r.revokeReason === 'unknown device'" "its token is revoked"
