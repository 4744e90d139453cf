#!/usr/bin/env bash
# The console's Overview numbers: successful logins, refreshes, revocations and reuse detections per
# minute over the last hour (or per hour over the last 24 hours), summed over every replica, and the
# active sessions sampled in each bucket. The replica answering counts itself up to now; another
# replica's counts arrive within a minute.
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"range":"ACTIVITY_RANGE_LAST_HOUR"}' \
#     localhost:7070 tokenauthority.v1.AdminService/GetActivity
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"range":"ACTIVITY_RANGE_LAST_DAY"}' \
#     localhost:7070 tokenauthority.v1.AdminService/GetActivity
source "$(dirname "$0")/lib.sh"

sum_logins='r.buckets.reduce((n, b) => n + Number(b.logins || 0), 0)'

step "the last hour, one bucket a minute"
before=$(call "$ADMIN/GetActivity" '{"range":"ACTIVITY_RANGE_LAST_HOUR"}' --admin)
expect_json "$before" "r.buckets.length === 60 && r.bucketWidth === '60s'" "60 one-minute buckets, the current one last"
logins=$(json "$before" "$sum_logins")

step "alice logs in: one login more"
login_user alice@example.com "19 activity" >/dev/null
after=$(call "$ADMIN/GetActivity" '{"range":"ACTIVITY_RANGE_LAST_HOUR"}' --admin)
expect_json "$after" "$sum_logins === $logins + 1" "the login is counted at once by the replica that served it"
expect_json "$after" "Number(r.buckets[59].activeSessions) >= 1" "the active sessions, sampled in the current minute"

step "the last 24 hours, one bucket an hour"
day=$(call "$ADMIN/GetActivity" '{"range":"ACTIVITY_RANGE_LAST_DAY"}' --admin)
expect_json "$day" "r.buckets.length === 24 && r.bucketWidth === '3600s' && Number(r.buckets[23].logins) >= 1" \
  "24 one-hour buckets, this hour's logins in the last"

step "a range is required"
call_fails INVALID_ARGUMENT "$ADMIN/GetActivity" '{}' --admin
