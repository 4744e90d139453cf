#!/usr/bin/env bash
# Remove a role from a user. SetUserRoles replaces the whole list, so send the roles to keep.
# With the setting revoke_tokens_on_role_removal on (the default), the user's tokens are revoked
# too: the access token that carried the old role stops working at once.
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"user_id":"usr_...","roles":[],"reason":"moved to another team"}' \
#     localhost:7070 tokenauthority.v1.AdminService/SetUserRoles
source "$(dirname "$0")/lib.sh"

email="viewer-$(run_id)@example.com"

step "create $email with the viewer role (tokens:read, audit:read)"
user=$(call "$ADMIN/CreateUser" "{\"email\":\"$email\",\"password\":\"$TA_USER_PASSWORD\",\"roles\":[\"viewer\"]}" --admin)
user_id=$(json "$user" r.userId)
expect_json "$user" "JSON.stringify(r.roles) === '[\"viewer\"]'" "a viewer"

step "their token for the demo app does not open AdminService, whatever their roles"
app_token=$(json "$(login_user "$email" "13 app")" r.accessToken)
call_fails PERMISSION_DENIED "$ADMIN/ListTokens" '{"page_size":1}' --bearer "$app_token"

step "logged in to admin-cli, a viewer gets admin:read only, and can list tokens"
pair=$(call "$AUTH/Login" "{\"client_id\":\"$TA_ADMIN_CLIENT_ID\",\"username\":\"$email\",\"password\":\"$TA_USER_PASSWORD\"}")
expect_json "$pair" "JSON.stringify(r.scopes) === '[\"admin:read\"]'" "the admin token carries only admin:read"
access_token=$(json "$pair" r.accessToken)
listed=$(call "$ADMIN/ListTokens" '{"page_size":1}' --bearer "$access_token")
expect_json "$listed" 'r.tokens.length === 1' "the viewer sees tokens"
call_fails PERMISSION_DENIED "$ADMIN/RevokeToken" "{\"token_id\":\"$(json "$listed" 'r.tokens[0].tokenId')\",\"reason\":\"viewer\"}" --bearer "$access_token"

step "remove the viewer role"
updated=$(call "$ADMIN/SetUserRoles" "{\"user_id\":\"$user_id\",\"roles\":[],\"reason\":\"moved to another team\"}" --admin)
expect_json "$updated" "r.userId === '$user_id' && !(r.roles || []).length" "no roles left"
expect_json "$updated" 'r.tokenInvalidatedAt' "their tokens were invalidated (revoke_tokens_on_role_removal)"

step "their tokens are revoked and the old access token no longer opens AdminService"
details=$(call "$ADMIN/GetToken" "{\"token_id\":\"$(json "$pair" r.refreshTokenId)\"}" --admin)
expect_json "$details" 'r.token.status === "TOKEN_STATUS_REVOKED"' "the refresh token is revoked"
call_fails UNAUTHENTICATED "$ADMIN/ListTokens" '{"page_size":1}' --bearer "$access_token"

step "without the role, admin-cli will not issue them an admin token at all"
call_fails PERMISSION_DENIED "$AUTH/Login" "{\"client_id\":\"$TA_ADMIN_CLIENT_ID\",\"username\":\"$email\",\"password\":\"$TA_USER_PASSWORD\"}"
