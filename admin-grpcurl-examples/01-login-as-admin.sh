#!/usr/bin/env bash
# Log in as an administrator and keep the access token for the other examples.
#
#   grpcurl -plaintext \
#     -d '{"client_id":"admin-cli","username":"admin@example.com","password":"demo-admin-password","audience":"token-authority-admin"}' \
#     localhost:7070 tokenauthority.v1.AuthService/Login
#
# Admin calls need an admin token: one issued for the audience token-authority-admin to admin-cli
# (or to admin-console, the web console's client), carrying the admin scope of the call (admin:read,
# admin:write, admin:users, admin:clients, admin:settings, admin:keys). The token gets the scopes the
# user's roles grant. A token of the same admin for any other audience (demo-api) opens nothing here.
#
# Every AdminService call then carries the access token as metadata:
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" ...
source "$(dirname "$0")/lib.sh"

step "log in as $TA_ADMIN_EMAIL and save the access token"
admin_login

step "the token opens AdminService: one token of the list"
response=$(call "$ADMIN/ListTokens" '{"page_size":1}' --admin)
expect_json "$response" 'Number(r.totalSize) >= 1 && r.tokens.length === 1' "the admin can list tokens"

step "the same admin's token for the demo app does not"
app_token=$(json "$(call "$AUTH/Login" "$(printf '{"client_id":"%s","username":"%s","password":"%s"}' \
  "$TA_CLIENT_ID" "$TA_ADMIN_EMAIL" "$TA_ADMIN_PASSWORD")")" r.accessToken)
call_fails PERMISSION_DENIED "$ADMIN/ListTokens" '{"page_size":1}' --bearer "$app_token"
