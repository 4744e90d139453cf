#!/usr/bin/env bash
# Change a refresh token's expiry (within its session's limits), note and tags. Only the fields
# named in update_mask change; in JSON the mask is one string of comma-separated camelCase paths.
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"token":{"token_id":"rt_...","expires_at":"2030-01-01T00:00:00Z","note":"contractor, ends Friday",
#          "tags":["contractor"]},"update_mask":"expiresAt,note,tags","reason":"contract ends Friday"}' \
#     localhost:7070 tokenauthority.v1.AdminService/UpdateToken
source "$(dirname "$0")/lib.sh"

note="contractor, access ends early ($(run_id))"

step "alice logs in"
pair=$(login_user alice@example.com "07 edit")
token_id=$(json "$pair" r.refreshTokenId)
# One hour earlier than it would expire: shortening is always within the session's limits.
new_expiry=$(json "$pair" 'new Date(Date.parse(r.refreshTokenExpiresAt) - 3600e3).toISOString().replace(/\.\d+Z$/, "Z")')

step "shorten its expiry to $new_expiry and attach a note and a tag"
updated=$(call "$ADMIN/UpdateToken" \
  "{\"token\":{\"token_id\":\"$token_id\",\"expires_at\":\"$new_expiry\",\"note\":\"$note\",\"tags\":[\"contractor\"]},\"update_mask\":\"expiresAt,note,tags\",\"reason\":\"contract ends early\"}" --admin)
expect_json "$updated" "Date.parse(r.expiresAt) === Date.parse('$new_expiry')" "the new expiry"
expect_json "$updated" "r.note === '$note' && JSON.stringify(r.tags) === '[\"contractor\"]'" "the note and the tag"

step "a mask without the note leaves the note alone"
again=$(call "$ADMIN/UpdateToken" \
  "{\"token\":{\"token_id\":\"$token_id\",\"note\":\"ignored\",\"tags\":[\"contractor\",\"reviewed\"]},\"update_mask\":\"tags\",\"reason\":\"reviewed\"}" --admin)
expect_json "$again" "r.note === '$note' && r.tags.includes('reviewed')" "only the tags changed"

step "the details agree"
details=$(call "$ADMIN/GetToken" "{\"token_id\":\"$token_id\"}" --admin)
expect_json "$details" "r.token.note === '$note' && Date.parse(r.token.expiresAt) === Date.parse('$new_expiry')" \
  "expiry and note are stored"
