#!/usr/bin/env bash
# Delete a user: everything of theirs is revoked first, then the account goes; the audit stays.
# The example creates a throwaway user to delete, so the demo users survive.
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"user_id":"usr_...","reason":"account closed at the user'"'"'s request"}' \
#     localhost:7070 tokenauthority.v1.AdminService/DeleteUser
source "$(dirname "$0")/lib.sh"

email="leaver-$(run_id)@example.com"

step "create $email"
user=$(call "$ADMIN/CreateUser" "{\"email\":\"$email\",\"password\":\"$TA_USER_PASSWORD\"}" --admin)
user_id=$(json "$user" r.userId)
expect_json "$user" "r.userId && r.email === '$email' && !r.disabled" "the user exists"

step "they log in"
pair=$(login_user "$email" "12 leaver")

step "find them by email"
found=$(call "$ADMIN/ListUsers" "{\"query\":\"$email\"}" --admin)
expect_json "$found" "r.users.length === 1 && r.users[0].userId === '$user_id'" "one user matches"

step "delete them"
deleted=$(call "$ADMIN/DeleteUser" "{\"user_id\":\"$user_id\",\"reason\":\"account closed\"}" --admin)
expect_json "$deleted" 'Number(r.feedSequence) > 0' "their revocation is on the feed"

step "the account is gone and their tokens with it"
call_fails NOT_FOUND "$ADMIN/GetUser" "{\"user_id\":\"$user_id\"}" --admin
call_fails UNAUTHENTICATED "$AUTH/Login" \
  "{\"client_id\":\"$TA_CLIENT_ID\",\"username\":\"$email\",\"password\":\"$TA_USER_PASSWORD\"}"
call_fails UNAUTHENTICATED "$AUTH/Refresh" "{\"client_id\":\"$TA_CLIENT_ID\",\"refresh_token\":\"$(json "$pair" r.refreshToken)\"}"
