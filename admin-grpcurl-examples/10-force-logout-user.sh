#!/usr/bin/env bash
# Force logout: every session and token of one user ends now, everywhere (the sidecars get a
# watermark through the feed). The user can log in again afterwards.
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"user_id":"usr_...","reason":"password reset"}' \
#     localhost:7070 tokenauthority.v1.AdminService/RevokeUserTokens
source "$(dirname "$0")/lib.sh"

step "bob logs in on two devices"
first=$(login_user bob@example.com "10 laptop")
login_user bob@example.com "10 phone" >/dev/null

step "find bob's user id (any of his tokens names it)"
details=$(call "$ADMIN/GetToken" "{\"token_id\":\"$(json "$first" r.refreshTokenId)\"}" --admin)
user_id=$(json "$details" r.token.userId)
echo "   bob is $user_id" >&2

step "log bob out everywhere"
result=$(call "$ADMIN/RevokeUserTokens" "{\"user_id\":\"$user_id\",\"reason\":\"password reset\"}" --admin)
expect_json "$result" 'Number(r.revokedSessions) >= 2 && Number(r.revokedRefreshTokens) >= 2' "both sessions and their tokens revoked"
expect_json "$result" 'Number(r.feedSequence) > 0' "on the feed"

step "bob has no active token left, and his old refresh token is dead"
active=$(call "$ADMIN/ListTokens" "{\"user_id\":\"$user_id\",\"statuses\":[\"TOKEN_STATUS_ACTIVE\"]}" --admin)
expect_json "$active" '!Number(r.totalSize || 0)' "no active tokens"
call_fails UNAUTHENTICATED "$AUTH/Refresh" "{\"client_id\":\"$TA_CLIENT_ID\",\"refresh_token\":\"$(json "$first" r.refreshToken)\"}"

step "a fresh login works again"
again=$(login_user bob@example.com "10 after reset")
expect_json "$again" 'r.accessToken && r.refreshToken' "bob logs in"
