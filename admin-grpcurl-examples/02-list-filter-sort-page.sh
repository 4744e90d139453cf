#!/usr/bin/env bash
# List refresh tokens: filter (free text, status, client), sort and page (keyset pages).
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"query":"alice@example.com","statuses":["TOKEN_STATUS_ACTIVE"],"client_id":"demo-app",
#          "order_by":"issued_at asc","page_size":1}' \
#     localhost:7070 tokenauthority.v1.AdminService/ListTokens
#
# The next page is the same request plus "page_token": "<next_page_token of the previous page>".
# Sortable columns: token_id, user_email, client_id, issued_at, last_used_at, expires_at, status.
source "$(dirname "$0")/lib.sh"

step "two sessions for alice, so there is something to page through"
login_user alice@example.com "02 first" >/dev/null
login_user alice@example.com "02 second" >/dev/null

filter='"query":"alice@example.com","statuses":["TOKEN_STATUS_ACTIVE"],"client_id":"demo-app"'

step "page 1: alice's active tokens, oldest first, one per page"
page1=$(call "$ADMIN/ListTokens" "{$filter,\"order_by\":\"issued_at asc\",\"page_size\":1}" --admin)
expect_json "$page1" 'r.tokens.length === 1 && r.tokens[0].userEmail === "alice@example.com"' "one of alice's tokens"
expect_json "$page1" 'r.tokens[0].status === "TOKEN_STATUS_ACTIVE" && r.tokens[0].clientId === "demo-app"' \
  "it is active and issued to demo-app"
expect_json "$page1" 'Number(r.totalSize) >= 2 && r.nextPageToken' "at least two match, so there is a next page"
next=$(json "$page1" r.nextPageToken)

step "page 2: the same query with the page token"
page2=$(call "$ADMIN/ListTokens" "{$filter,\"order_by\":\"issued_at asc\",\"page_size\":1,\"page_token\":\"$next\"}" --admin)
expect_json "$page2" 'r.tokens.length === 1 && r.tokens[0].userEmail === "alice@example.com"' "another of alice's tokens"
first=$(json "$page1" 'r.tokens[0]')
expect_json "$page2" "r.tokens[0].tokenId !== ($first).tokenId && r.tokens[0].issuedAt >= ($first).issuedAt" \
  "a different token, issued no earlier (ascending order)"

step "sorted the other way: newest expiry first"
newest=$(call "$ADMIN/ListTokens" "{$filter,\"order_by\":\"expires_at desc\",\"page_size\":5}" --admin)
expect_json "$newest" 'r.tokens.length >= 2 && r.tokens.every((t, i) => i === 0 || r.tokens[i - 1].expiresAt >= t.expiresAt)' \
  "expires_at descends"
