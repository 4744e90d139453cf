#!/usr/bin/env bash
# EMERGENCY: revoke every session and every token issued until now, for every user and client,
# including the admin's own. `confirm` must be exactly "REVOKE ALL SESSIONS". Afterwards this
# example logs the admin in again, so the examples after it keep working.
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"reason":"signing key leaked","confirm":"REVOKE ALL SESSIONS"}' \
#     localhost:7070 tokenauthority.v1.AdminService/RevokeAllSessions
#
# run-all.sh runs it last but one, before 16-audit.sh.
source "$(dirname "$0")/lib.sh"

reason="emergency drill ($(run_id))"

step "alice logs in"
pair=$(login_user alice@example.com "11 before the emergency")

step "without the exact confirmation nothing happens"
call_fails FAILED_PRECONDITION "$ADMIN/RevokeAllSessions" "{\"reason\":\"$reason\",\"confirm\":\"yes\"}" --admin

step "revoke everything"
result=$(call "$ADMIN/RevokeAllSessions" "{\"reason\":\"$reason\",\"confirm\":\"REVOKE ALL SESSIONS\"}" --admin)
expect_json "$result" 'Number(r.revokedSessions) >= 2 && Number(r.revokedRefreshTokens) >= 2' \
  "every session revoked (alice's and the admin's at least)"
expect_json "$result" 'Number(r.feedSequence) > 0' "on the feed"

step "alice's refresh token is dead, and so is the admin's access token"
call_fails UNAUTHENTICATED "$AUTH/Refresh" "{\"client_id\":\"$TA_CLIENT_ID\",\"refresh_token\":\"$(json "$pair" r.refreshToken)\"}"
call_fails UNAUTHENTICATED "$ADMIN/ListTokens" '{"page_size":1}' --admin

step "log the admin in again"
admin_login
active=$(call "$ADMIN/ListTokens" '{"statuses":["TOKEN_STATUS_ACTIVE"]}' --admin)
expect_json "$active" 'Number(r.totalSize) === 1 && r.tokens[0].userEmail === "admin@example.com"' \
  "the new admin session is the only active one"
