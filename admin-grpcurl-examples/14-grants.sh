#!/usr/bin/env bash
# Grants: which user consented to which client, with which scopes. Revoking a grant revokes every
# token issued under it; the next login records a new grant.
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"user_id":"usr_..."}' \
#     localhost:7070 tokenauthority.v1.AdminService/ListGrants
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"grant_id":"...","reason":"user withdrew consent"}' \
#     localhost:7070 tokenauthority.v1.AdminService/RevokeGrant
source "$(dirname "$0")/lib.sh"

step "alice logs in (which records her grant to $TA_CLIENT_ID)"
pair=$(login_user alice@example.com "14 grants")
user_id=$(json "$(call "$ADMIN/GetToken" "{\"token_id\":\"$(json "$pair" r.refreshTokenId)\"}" --admin)" r.token.userId)

step "alice's grants"
grants=$(call "$ADMIN/ListGrants" "{\"user_id\":\"$user_id\"}" --admin)
expect_json "$grants" "r.grants.some(g => g.clientId === '$TA_CLIENT_ID' && g.userEmail === 'alice@example.com' && g.scopes.length)" \
  "a grant to $TA_CLIENT_ID with its scopes"
grant_id=$(json "$grants" "r.grants.find(g => g.clientId === '$TA_CLIENT_ID').grantId")

step "revoke that grant"
result=$(call "$ADMIN/RevokeGrant" "{\"grant_id\":\"$grant_id\",\"reason\":\"user withdrew consent\"}" --admin)
expect_json "$result" 'Number(r.revokedSessions) >= 1 && Number(r.feedSequence) > 0' "her sessions under it are revoked"

step "the grant is gone and her tokens under it are dead"
grants=$(call "$ADMIN/ListGrants" "{\"user_id\":\"$user_id\",\"client_id\":\"$TA_CLIENT_ID\"}" --admin)
expect_json "$grants" "!(r.grants || []).some(g => g.grantId === '$grant_id')" "no longer listed"
call_fails UNAUTHENTICATED "$AUTH/Refresh" "{\"client_id\":\"$TA_CLIENT_ID\",\"refresh_token\":\"$(json "$pair" r.refreshToken)\"}"

step "her next login records a new grant"
login_user alice@example.com "14 after" >/dev/null
grants=$(call "$ADMIN/ListGrants" "{\"user_id\":\"$user_id\",\"client_id\":\"$TA_CLIENT_ID\"}" --admin)
expect_json "$grants" "r.grants.length === 1 && r.grants[0].grantId !== '$grant_id'" "a new grant"
