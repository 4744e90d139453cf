#!/usr/bin/env bash
# Everything about one refresh token: metadata, its session, the latest access token's claims
# and its audit history.
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"token_id":"rt_..."}' \
#     localhost:7070 tokenauthority.v1.AdminService/GetToken
source "$(dirname "$0")/lib.sh"

step "alice logs in"
pair=$(login_user alice@example.com "03 details")
token_id=$(json "$pair" r.refreshTokenId)
session_id=$(json "$pair" r.sessionId)

step "the details of her refresh token"
details=$(call "$ADMIN/GetToken" "{\"token_id\":\"$token_id\"}" --admin)
expect_json "$details" "r.token.tokenId === '$token_id' && r.token.status === 'TOKEN_STATUS_ACTIVE'" "the token, active"
expect_json "$details" "r.token.userEmail === 'alice@example.com' && r.token.clientId === 'demo-app'" "alice's, for demo-app"
expect_json "$details" "r.session.sessionId === '$session_id' && r.session.deviceName === '03 details'" \
  "its session, with the device named at login"
expect_json "$details" 'r.tokenHashPrefix && r.tokenHashPrefix.length === 8' "an 8-character hash prefix, never the token"
expect_json "$details" "JSON.parse(r.latestAccessToken.claimsJson).sid === '$session_id'" \
  "the latest access token's claims carry the session id"
