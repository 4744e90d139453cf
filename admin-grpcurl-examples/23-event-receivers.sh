#!/usr/bin/env bash
# Revocation events (Shared Signals / CAEP): register a receiver of Security Event Tokens, list the
# receivers, end a session and watch its event wait in the receiver's status, then delete it.
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"endpoint_url":"https://siem.example.com/caep","audience":"https://siem.example.com",
#          "event_types":["session-revoked","credential-change"],"auth_header":"Bearer <receiver token>"}' \
#     localhost:7070 tokenauthority.v1.AdminService/CreateEventReceiver
#
# Here the receiver is http://127.0.0.1:9/events, a loopback port nobody listens at (http is only
# accepted for loopback): every push is refused a connection, so the status shows the event
# pending and the failure. The auth header is write-only: the answer says only that one is set.
source "$(dirname "$0")/lib.sh"

step "register a receiver"
receiver=$(call "$ADMIN/CreateEventReceiver" \
  '{"endpoint_url":"http://127.0.0.1:9/events","audience":"https://receiver.example.com","event_types":["session-revoked","credential-change"],"auth_header":"Bearer example-receiver-token"}' --admin)
expect_json "$receiver" "r.id.startsWith('evr_') && r.authHeaderSet === true" "an id, and the header set"
expect_json "$receiver" "!JSON.stringify(r).includes('example-receiver-token')" "the header is never returned"
receiver_id=$(json "$receiver" "r.id")

step "list the receivers"
list=$(call "$ADMIN/ListEventReceivers" '{}' --admin)
expect_json "$list" "r.receivers.some(x => x.id === '$receiver_id')" "the new receiver is listed"

step "end a session: its session-revoked event waits for the receiver"
session_id=$(json "$(login_user alice@example.com "23 event receivers")" "r.sessionId")
call "$ADMIN/RevokeSession" "{\"session_id\":\"$session_id\",\"reason\":\"lost phone\"}" --admin >/dev/null
for _ in $(seq 1 20); do
  status=$(call "$ADMIN/GetEventReceiver" "{\"id\":\"$receiver_id\"}" --admin)
  [[ "$(json "$status" "r.status.lastFailureReason || ''")" != "" ]] && break
  sleep 0.5
done
expect_json "$status" "Number(r.status.pending || 0) >= 1" "the event is pending"
expect_json "$status" "(r.status.lastFailureReason || '').includes('Connect') && (r.status.consecutiveFailures || 0) >= 1" \
  "the failed push and why"

step "refused: a receiver over plain http to a non-loopback host"
call_fails INVALID_ARGUMENT "$ADMIN/CreateEventReceiver" \
  '{"endpoint_url":"http://receiver.example.com/events","audience":"x","event_types":["session-revoked"]}' --admin

step "delete it (its pending events are dropped)"
call "$ADMIN/DeleteEventReceiver" "{\"id\":\"$receiver_id\"}" --admin >/dev/null
call_fails NOT_FOUND "$ADMIN/GetEventReceiver" "{\"id\":\"$receiver_id\"}" --admin
