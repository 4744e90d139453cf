#!/usr/bin/env bash
# Re-encrypt the stored signing keys under the first configured key-encryption key (KEK), the middle
# step of a KEK rotation. Private signing keys are stored sealed under a KEK kept outside the database
# (--key-encryption-key-file); the first file listed seals, every one listed opens. To rotate:
#   1. give every replica the new KEK after the old one (--key-encryption-key-file old,new) and restart;
#   2. put the new one first (new,old) and restart each replica;
#   3. call RewrapSigningKeys once (or run `authority-server rewrap-keys` offline): every key is now
#      sealed by the new KEK, and the answer says which;
#   4. drop the old KEK from the configuration (new) and restart each replica.
# Calling it again re-encrypts nothing; each call is audited with its reason.
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"reason":"yearly KEK rotation"}' localhost:7070 tokenauthority.v1.KeyService/RewrapSigningKeys
source "$(dirname "$0")/lib.sh"

KEYS=tokenauthority.v1.KeyService
reason="yearly KEK rotation ($(run_id))"

step "re-encrypt every stored signing key under the first configured KEK"
first=$(call "$KEYS/RewrapSigningKeys" "{\"reason\":\"$reason\"}" --admin)
# proto3 JSON leaves out a count of 0.
expect_json "$first" "/^kek-[0-9a-f]{16}$/.test(r.kekId) && (r.rewrappedCount || 0) >= 0" \
  "the id of the KEK now sealing every key, and how many keys moved to it"
kek_id=$(json "$first" r.kekId)

step "again: every key is sealed by that KEK already, nothing is re-encrypted"
again=$(call "$KEYS/RewrapSigningKeys" "{\"reason\":\"$reason\"}" --admin)
expect_json "$again" "!r.rewrappedCount && r.kekId === '$kek_id'" "0 keys, same KEK"

step "both calls are audited with the admin and the reason"
events=$(call "$ADMIN/ListAuditEvents" "{\"target_id\":\"$kek_id\",\"action\":\"signing_key.rewrap\"}" --admin)
expect_json "$events" "r.events.filter(e => e.reason === '$reason' && e.actorEmail === '$TA_ADMIN_EMAIL' && e.targetType === 'key_encryption_key').length === 2" \
  "two events, with actor and reason"

step "a user without keys:write is refused"
pair=$(login_user alice@example.com "18 rewrap")
call_fails PERMISSION_DENIED "$KEYS/RewrapSigningKeys" '{"reason":"not mine to do"}' --bearer "$(json "$pair" r.accessToken)"
