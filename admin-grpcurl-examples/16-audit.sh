#!/usr/bin/env bash
# The audit log: who did what to which target, when, why and from where. Filter by actor,
# action, target and time; newest first; paged. Revoking a refresh token ends its session; the
# event names the token (target_type "refresh_token") and carries the session in its details.
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"target_id":"rt_..."}' \
#     localhost:7070 tokenauthority.v1.AdminService/ListAuditEvents
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"action":"refresh_token.revoke","page_size":2}' \
#     localhost:7070 tokenauthority.v1.AdminService/ListAuditEvents
source "$(dirname "$0")/lib.sh"

reason="audit example ($(run_id))"

step "something to audit: the admin revokes a fresh token of alice's"
pair=$(login_user alice@example.com "16 audit")
token_id=$(json "$pair" r.refreshTokenId)
session_id=$(json "$pair" r.sessionId)
call "$ADMIN/RevokeToken" "{\"token_id\":\"$token_id\",\"reason\":\"$reason\"}" --admin >/dev/null
login_user alice@example.com "16 audit, second" >/dev/null
second=$(call "$ADMIN/ListTokens" '{"query":"alice@example.com","statuses":["TOKEN_STATUS_ACTIVE"],"page_size":1}' --admin)
call "$ADMIN/RevokeToken" "{\"token_id\":\"$(json "$second" 'r.tokens[0].tokenId')\",\"reason\":\"$reason\"}" --admin >/dev/null

step "the events about that token"
events=$(call "$ADMIN/ListAuditEvents" "{\"target_id\":\"$token_id\"}" --admin)
expect_json "$events" "r.events.length >= 1 && r.events.every(e => e.targetId === '$token_id' && e.targetType === 'refresh_token')" \
  "only events about the token"
expect_json "$events" "r.events.some(e => e.action === 'refresh_token.revoke' && e.reason === '$reason' && e.actorEmail === '$TA_ADMIN_EMAIL' && e.callerIp && JSON.parse(e.detailsJson).session_id === '$session_id')" \
  "the revocation: action, reason, actor, caller IP and the session it ended"

step "every revocation, newest first, two per page"
page1=$(call "$ADMIN/ListAuditEvents" '{"action":"refresh_token.revoke","page_size":2}' --admin)
expect_json "$page1" "r.events.length === 2 && r.events.every(e => e.action === 'refresh_token.revoke') && r.nextPageToken" \
  "a full page and a next page"
expect_json "$page1" "r.events[0].occurredAt >= r.events[1].occurredAt && r.events[0].reason === '$reason'" \
  "newest first: the revocation just made"
page2=$(call "$ADMIN/ListAuditEvents" "{\"action\":\"refresh_token.revoke\",\"page_size\":2,\"page_token\":\"$(json "$page1" r.nextPageToken)\"}" --admin)
expect_json "$page2" "r.events.length >= 1 && r.events.every(e => !($page1).events.some(f => f.id === e.id))" \
  "the next page holds older events"

step "the actor's own trail, within the last hour"
actor_id=$(json "$events" "r.events.find(e => e.action === 'refresh_token.revoke').actorId")
since=$(json "$page1" 'new Date(Date.parse(r.events[0].occurredAt) - 3600e3).toISOString()')
trail=$(call "$ADMIN/ListAuditEvents" "{\"actor_id\":\"$actor_id\",\"occurred_after\":\"$since\",\"page_size\":50}" --admin)
expect_json "$trail" "r.events.length >= 2 && r.events.every(e => e.actorId === '$actor_id' && e.occurredAt >= '$since')" \
  "only the admin's events since then"
