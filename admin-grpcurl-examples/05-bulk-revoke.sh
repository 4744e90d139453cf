#!/usr/bin/env bash
# Revoke many refresh tokens at once, by ids or by filter. Idempotent, with an outcome per token.
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"token_ids":["rt_...","rt_..."],"reason":"offboarding"}' \
#     localhost:7070 tokenauthority.v1.AdminService/BatchRevokeTokens
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"filter":{"session_id":"ses_...","statuses":["TOKEN_STATUS_ACTIVE"]},"reason":"offboarding"}' \
#     localhost:7070 tokenauthority.v1.AdminService/BatchRevokeTokens
source "$(dirname "$0")/lib.sh"

reason="bulk revoke example ($(run_id))"

step "bob logs in three times"
first=$(json "$(login_user bob@example.com "05 first")" r.refreshTokenId)
second=$(json "$(login_user bob@example.com "05 second")" r.refreshTokenId)
third_pair=$(login_user bob@example.com "05 third")
third=$(json "$third_pair" r.refreshTokenId)
third_session=$(json "$third_pair" r.sessionId)

step "revoke two of them by id, plus an id that does not exist"
ids="[\"$first\",\"$second\",\"rt_does-not-exist\"]"
result=$(call "$ADMIN/BatchRevokeTokens" "{\"token_ids\":$ids,\"reason\":\"$reason\"}" --admin)
expect_json "$result" 'Number(r.revokedCount) === 2 && Number(r.feedSequence) > 0' "two revoked, on the feed"
expect_json "$result" "r.results.find(x => x.tokenId === '$first').outcome === 'OUTCOME_REVOKED'" "the first: revoked"
expect_json "$result" "r.results.find(x => x.tokenId === '$second').outcome === 'OUTCOME_REVOKED'" "the second: revoked"
expect_json "$result" "r.results.find(x => x.tokenId === 'rt_does-not-exist').outcome === 'OUTCOME_NOT_FOUND'" \
  "the unknown id: not found"

step "the same call again changes nothing"
again=$(call "$ADMIN/BatchRevokeTokens" "{\"token_ids\":[\"$first\",\"$second\"],\"reason\":\"$reason\"}" --admin)
expect_json "$again" "!Number(r.revokedCount || 0) && r.results.every(x => x.outcome === 'OUTCOME_ALREADY_REVOKED')" \
  "both already revoked"

step "revoke by filter: the active tokens of the third session"
by_filter=$(call "$ADMIN/BatchRevokeTokens" \
  "{\"filter\":{\"session_id\":\"$third_session\",\"statuses\":[\"TOKEN_STATUS_ACTIVE\"]},\"reason\":\"$reason\"}" --admin)
expect_json "$by_filter" "Number(r.revokedCount) === 1 && r.results[0].tokenId === '$third' && r.results[0].outcome === 'OUTCOME_REVOKED'" \
  "exactly the third token"

step "none of the three is active"
left=$(call "$ADMIN/ListTokens" "{\"query\":\"bob@example.com\",\"statuses\":[\"TOKEN_STATUS_ACTIVE\"],\"page_size\":500}" --admin)
expect_json "$left" "!(r.tokens || []).some(t => ['$first', '$second', '$third'].includes(t.tokenId))" "all three revoked"
