#!/usr/bin/env bash
# Suspend a refresh token (a soft, reversible revoke): its session's access tokens are denied
# (TOKEN_SUSPENDED at the sidecars) and it cannot be refreshed. Resume ends the suspension.
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"token_id":"rt_...","reason":"suspicious activity, investigating"}' \
#     localhost:7070 tokenauthority.v1.AdminService/SuspendToken
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"token_id":"rt_...","reason":"false alarm"}' \
#     localhost:7070 tokenauthority.v1.AdminService/ResumeToken
source "$(dirname "$0")/lib.sh"

step "alice logs in"
pair=$(login_user alice@example.com "06 suspend")
token_id=$(json "$pair" r.refreshTokenId)
refresh_token=$(json "$pair" r.refreshToken)

step "suspend her refresh token"
suspended=$(call "$ADMIN/SuspendToken" "{\"token_id\":\"$token_id\",\"reason\":\"suspicious activity, investigating\"}" --admin)
expect_json "$suspended" "r.tokenId === '$token_id' && r.status === 'TOKEN_STATUS_SUSPENDED'" "the token is suspended"

step "while suspended it does not refresh"
call_fails UNAUTHENTICATED "$AUTH/Refresh" "{\"client_id\":\"$TA_CLIENT_ID\",\"refresh_token\":\"$refresh_token\"}"

step "resume it"
resumed=$(call "$ADMIN/ResumeToken" "{\"token_id\":\"$token_id\",\"reason\":\"false alarm\"}" --admin)
expect_json "$resumed" "r.tokenId === '$token_id' && r.status === 'TOKEN_STATUS_ACTIVE'" "the token is active again"

step "and it refreshes again"
refreshed=$(call "$AUTH/Refresh" "{\"client_id\":\"$TA_CLIENT_ID\",\"refresh_token\":\"$refresh_token\"}")
expect_json "$refreshed" "r.accessToken && r.refreshTokenId && r.refreshTokenId !== '$token_id'" \
  "a new pair, the refresh token rotated"
