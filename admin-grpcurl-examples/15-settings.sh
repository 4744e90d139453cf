#!/usr/bin/env bash
# Read and change the authority's settings. Only the fields named in update_mask change
# (camelCase paths, comma-separated); durations are strings like "600s". The example puts the
# old values back at the end.
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{}' localhost:7070 tokenauthority.v1.AdminService/GetSettings
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"settings":{"refresh_token_revocation_deletes_grant":true,"default_access_token_ttl":"600s"},
#          "update_mask":"refreshTokenRevocationDeletesGrant,defaultAccessTokenTtl","reason":"policy review"}' \
#     localhost:7070 tokenauthority.v1.AdminService/UpdateSettings
source "$(dirname "$0")/lib.sh"

step "the current settings"
before=$(call "$ADMIN/GetSettings" '{}' --admin)
expect_json "$before" 'r.defaultAccessTokenTtl && r.defaultRefreshInactivityTtl && r.defaultSessionMaxTtl' \
  "every default lifetime is stated"
deletes_grant=$(json "$before" 'Boolean(r.refreshTokenRevocationDeletesGrant)')
ttl=$(json "$before" r.defaultAccessTokenTtl)
flipped=$([[ "$deletes_grant" == true ]] && echo false || echo true)
new_ttl=$([[ "$ttl" == 600s ]] && echo 300s || echo 600s)

step "flip refresh_token_revocation_deletes_grant to $flipped and set the default access-token TTL to $new_ttl"
after=$(call "$ADMIN/UpdateSettings" \
  "{\"settings\":{\"refresh_token_revocation_deletes_grant\":$flipped,\"default_access_token_ttl\":\"$new_ttl\",\"revoke_tokens_on_role_removal\":false},\"update_mask\":\"refreshTokenRevocationDeletesGrant,defaultAccessTokenTtl\",\"reason\":\"policy review\"}" --admin)
expect_json "$after" "Boolean(r.refreshTokenRevocationDeletesGrant) === $flipped && r.defaultAccessTokenTtl === '$new_ttl'" \
  "both changed"
expect_json "$after" "Boolean(r.revokeTokensOnRoleRemoval) === Boolean(($before).revokeTokensOnRoleRemoval)" \
  "a field outside the mask is left alone"
again=$(call "$ADMIN/GetSettings" '{}' --admin)
expect_json "$again" "JSON.stringify(r) === JSON.stringify($after)" "GetSettings agrees"

step "put the old values back"
restored=$(call "$ADMIN/UpdateSettings" \
  "{\"settings\":{\"refresh_token_revocation_deletes_grant\":$deletes_grant,\"default_access_token_ttl\":\"$ttl\"},\"update_mask\":\"refreshTokenRevocationDeletesGrant,defaultAccessTokenTtl\",\"reason\":\"policy review done\"}" --admin)
expect_json "$restored" "JSON.stringify(r) === JSON.stringify($before)" "as they were"
