#!/usr/bin/env bash
# Revoke a signing key that leaked. The current key signs every new token, so it cannot be revoked
# (FAILED_PRECONDITION): rotate first, then revoke the old key by its kid. It leaves the JWK set at
# once, every token it signed stops validating at the authority and, within one feed event, at
# every sidecar, and the revocation is audited with its reason. Revoking it again changes nothing.
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"reason":"key leaked"}' localhost:7070 tokenauthority.v1.KeyService/RotateSigningKey
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"kid":"<the old kid>","reason":"key leaked"}' \
#     localhost:7070 tokenauthority.v1.KeyService/RevokeSigningKey
source "$(dirname "$0")/lib.sh"

KEYS=tokenauthority.v1.KeyService
reason="private key found in a public repository ($(run_id))"

step "the current key cannot be revoked while it is current"
jwks=$(call "$KEYS/GetJwks" '{}')
old_kid=$(json "$jwks" 'r.keys.find(k => !k.retiredAt).kid')
call_fails FAILED_PRECONDITION "$KEYS/RevokeSigningKey" "{\"kid\":\"$old_kid\",\"reason\":\"$reason\"}" --admin

step "alice logs in: her access token is signed by that key (valid, but not an admin's)"
pair=$(login_user alice@example.com "17 leaked key")
access_token=$(json "$pair" r.accessToken)
call_fails PERMISSION_DENIED "$ADMIN/ListTokens" '{"page_size":1}' --bearer "$access_token"

step "rotate to a new key"
rotated=$(call "$KEYS/RotateSigningKey" "{\"reason\":\"$reason\"}" --admin)
expect_json "$rotated" "r.kid && r.kid !== '$old_kid' && !r.retiredAt" "a new current key"
# The admin's own token is signed by the old key too: log in again for a token the revocation spares.
admin_login

step "revoke the old key, saying why"
revoked=$(call "$KEYS/RevokeSigningKey" "{\"kid\":\"$old_kid\",\"reason\":\"$reason\"}" --admin)
expect_json "$revoked" "r.kid === '$old_kid' && r.retiredAt && r.revokedAt" "retired and revoked"
jwks=$(call "$KEYS/GetJwks" '{}')
expect_json "$jwks" "!r.keys.some(k => k.kid === '$old_kid') && !r.jwksJson.includes('$old_kid')" \
  "it left the JWK set"

step "every token it signed is dead"
call_fails UNAUTHENTICATED "$ADMIN/ListTokens" '{"page_size":1}' --bearer "$access_token"

step "revoking it again changes nothing"
again=$(call "$KEYS/RevokeSigningKey" "{\"kid\":\"$old_kid\",\"reason\":\"$reason\"}" --admin)
expect_json "$again" "r.revokedAt === ($revoked).revokedAt" "same revocation time"

step "the audit log names the admin and the reason, once"
events=$(call "$ADMIN/ListAuditEvents" "{\"target_id\":\"$old_kid\",\"action\":\"signing_key.revoke\"}" --admin)
expect_json "$events" "r.events.length === 1 && r.events[0].reason === '$reason' && r.events[0].actorEmail === '$TA_ADMIN_EMAIL' && r.events[0].targetType === 'signing_key'" \
  "one event, with actor and reason"

step "an unknown kid is NOT_FOUND, a missing one INVALID_ARGUMENT"
call_fails NOT_FOUND "$KEYS/RevokeSigningKey" '{"kid":"no-such-kid","reason":"typo"}' --admin
call_fails INVALID_ARGUMENT "$KEYS/RevokeSigningKey" '{"reason":"no kid"}' --admin
