#!/usr/bin/env bash
# Revoke one refresh token with a reason: its session ends, the reason is kept and audited, and
# the revocation reaches the sidecars through the feed (feed_sequence).
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"token_id":"rt_...","reason":"laptop reported stolen"}' \
#     localhost:7070 tokenauthority.v1.AdminService/RevokeToken
source "$(dirname "$0")/lib.sh"

reason="laptop reported stolen ($(run_id))"

step "alice logs in"
pair=$(login_user alice@example.com "04 stolen laptop")
token_id=$(json "$pair" r.refreshTokenId)
refresh_token=$(json "$pair" r.refreshToken)

step "revoke her refresh token, saying why"
result=$(call "$ADMIN/RevokeToken" "{\"token_id\":\"$token_id\",\"reason\":\"$reason\"}" --admin)
expect_json "$result" 'Number(r.revokedRefreshTokens) >= 1 && Number(r.revokedSessions) === 1' \
  "the token and its session are revoked"
expect_json "$result" 'Number(r.feedSequence) > 0 && r.revokedAt' "the feed carries it"

step "the details show who revoked it and why"
details=$(call "$ADMIN/GetToken" "{\"token_id\":\"$token_id\"}" --admin)
expect_json "$details" 'r.token.status === "TOKEN_STATUS_REVOKED" && r.revokedAt' "the token is revoked"
expect_json "$details" "r.revokeReason === '$reason'" "with the reason given"
expect_json "$details" "r.revokedBy && (r.auditEvents || []).some(e => e.reason === '$reason' && e.actorEmail === '$TA_ADMIN_EMAIL')" \
  "and its audit history names the admin and the reason"

step "the refresh token no longer refreshes"
call_fails UNAUTHENTICATED "$AUTH/Refresh" "{\"client_id\":\"$TA_CLIENT_ID\",\"refresh_token\":\"$refresh_token\"}"
