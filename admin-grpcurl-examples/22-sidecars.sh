#!/usr/bin/env bash
# The sidecar fleet: every sidecar following the feed of any replica, the position each reports
# having applied, its lag and last heartbeat; then a revocation that answers only once the
# sidecars connected at that moment have applied it, and says how many did.
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" -d '{}' \
#     localhost:7070 tokenauthority.v1.AdminService/ListSidecars
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"session_id":"...","reason":"lost phone","wait_for_sidecars":{"timeout":"5s"}}' \
#     localhost:7070 tokenauthority.v1.AdminService/RevokeSession
#
# Against the demo (./.ci/run-demo) one sidecar is connected; against a bare authority, none (the
# wait then answers at once: 0 of 0).
source "$(dirname "$0")/lib.sh"

step "the fleet"
fleet=$(call "$ADMIN/ListSidecars" '{}' --admin)
expect_json "$fleet" "(r.sidecars || []).every(s => s.sidecarId && s.replica && s.state)" \
  "each sidecar with its id, its replica and its state"
expect_json "$fleet" "(r.sidecars || []).every(s => Number(s.appliedSequence || 0) <= Number(r.headSequence || 0))" \
  "none reports a position past the log's head (a fresh log's head is 0)"
expect_json "$fleet" "(r.sidecars || []).filter(s => s.state === 'SIDECAR_STATE_FRESH').length === (r.fresh || 0)" \
  "the counts match the rows"
connected=$(json "$fleet" "(r.fresh || 0) + (r.lagging || 0) + (r.notReporting || 0)")

step "end a session and wait until every connected sidecar denies its tokens"
session_id=$(json "$(login_user alice@example.com "22 sidecars")" "r.sessionId")
result=$(call "$ADMIN/RevokeSession" \
  "{\"session_id\":\"$session_id\",\"reason\":\"lost phone\",\"wait_for_sidecars\":{\"timeout\":\"5s\"}}" --admin)
expect_json "$result" "(r.sidecarsApplied.connected || 0) === $connected" "the sidecars connected at the commit"
expect_json "$result" "(r.sidecarsApplied.applied || 0) === (r.sidecarsApplied.connected || 0) && !r.sidecarsApplied.timedOut" \
  "every one of them applied it before the answer"

step "a wait is bounded: at most 30 s"
call_fails INVALID_ARGUMENT "$ADMIN/RevokeSession" \
  "{\"session_id\":\"$session_id\",\"wait_for_sidecars\":{\"timeout\":\"60s\"}}" --admin
