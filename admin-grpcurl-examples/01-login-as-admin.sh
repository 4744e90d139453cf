#!/usr/bin/env bash
# Log in as an administrator and keep the access token for the other examples.
#
#   grpcurl -plaintext \
#     -d '{"client_id":"demo-app","username":"admin@example.com","password":"demo-admin-password"}' \
#     localhost:7070 tokenauthority.v1.AuthService/Login
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
