#!/usr/bin/env bash
# Preview a bulk revocation by filter (validate_only: counts and a sample, nothing revoked), then
# revoke with the previewed count echoed back (expected_count). If the filter matches other tokens
# by then, the call is refused with FAILED_PRECONDITION and revokes nothing: preview again. A filter
# that would revoke more than the setting bulk_revoke_confirm_above (default 1000) must echo the count.
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"filter":{"query":"bob@example.com","statuses":["TOKEN_STATUS_ACTIVE"]},"validate_only":true}' \
#     localhost:7070 tokenauthority.v1.AdminService/BatchRevokeTokens
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"filter":{"query":"bob@example.com","statuses":["TOKEN_STATUS_ACTIVE"]},"expected_count":"2","reason":"offboarding"}' \
#     localhost:7070 tokenauthority.v1.AdminService/BatchRevokeTokens
source "$(dirname "$0")/lib.sh"

reason="bulk revoke preview example ($(run_id))"
since=$(date -u +%Y-%m-%dT%H:%M:%SZ)

step "the threshold above which a revocation by filter needs the previewed count"
settings=$(call "$ADMIN/GetSettings" '{}' --admin)
expect_json "$settings" 'Number(r.bulkRevokeConfirmAbove ?? 0) >= 0' "bulk_revoke_confirm_above is $(json "$settings" 'r.bulkRevokeConfirmAbove ?? "0"')"

step "bob logs in twice"
first=$(json "$(login_user bob@example.com "21 first")" r.refreshTokenId)
second=$(json "$(login_user bob@example.com "21 second")" r.refreshTokenId)
filter="{\"query\":\"bob@example.com\",\"statuses\":[\"TOKEN_STATUS_ACTIVE\"],\"issued_after\":\"$since\"}"

step "preview: what the filter would revoke, with nothing revoked"
preview=$(call "$ADMIN/BatchRevokeTokens" "{\"filter\":$filter,\"validate_only\":true}" --admin)
expect_json "$preview" "Number(r.preview.tokenCount) >= 2 && !r.results && !Number(r.revokedCount || 0)" \
  "counts, no result and nothing revoked"
expect_json "$preview" "['$first', '$second'].every(id => r.preview.sample.some(t => t.tokenId === id && t.userEmail === 'bob@example.com' && t.sessionId))" \
  "the sample shows both tokens with user and session"
count=$(json "$preview" 'r.preview.tokenCount')
echo "   it would revoke $count token(s) in $(json "$preview" 'r.preview.sessionCount') session(s) of $(json "$preview" 'r.preview.userCount') user(s)" >&2
still=$(call "$ADMIN/ListTokens" "{\"query\":\"$first\",\"statuses\":[\"TOKEN_STATUS_ACTIVE\"]}" --admin)
expect_json "$still" "(r.tokens || []).some(t => t.tokenId === '$first')" "the first token is still active"

step "bob logs in again: the filter now matches one more, so the previewed count is refused"
third=$(json "$(login_user bob@example.com "21 third")" r.refreshTokenId)
call_fails FAILED_PRECONDITION "$ADMIN/BatchRevokeTokens" \
  "{\"filter\":$filter,\"expected_count\":\"$count\",\"reason\":\"$reason\"}" --admin
grep -q "expected_count is $count" "$TA_STATE_DIR/last-error" || fail "the refusal names both counts: $(cat "$TA_STATE_DIR/last-error")"

step "preview again, then revoke with the new count"
count=$(json "$(call "$ADMIN/BatchRevokeTokens" "{\"filter\":$filter,\"validate_only\":true}" --admin)" 'r.preview.tokenCount')
revoked=$(call "$ADMIN/BatchRevokeTokens" "{\"filter\":$filter,\"expected_count\":\"$count\",\"reason\":\"$reason\"}" --admin)
expect_json "$revoked" "Number(r.revokedCount) === $count && ['$first', '$second', '$third'].every(id => r.results.some(x => x.tokenId === id && x.outcome === 'OUTCOME_REVOKED'))" \
  "exactly the previewed $count revoked, the three among them"
