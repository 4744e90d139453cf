#!/usr/bin/env bash
# Runs every example against one authority and reports. 11-logout-all.sh revokes every session,
# so it runs late (it logs the admin in again; 16-audit.sh then sees its event too).
# 17-revoke-signing-key.sh kills every token of the key it revokes, so it runs late (it logs the admin
# in again; 18-rewrap-signing-keys.sh, which kills nothing, then uses that token).
#
#   TA_TARGET=localhost:7070 ./run-all.sh                 # with grpcurl
#   TA_CLIENT=buf TA_TARGET=localhost:7070 ./run-all.sh   # with buf curl (what CI runs)
#
# Prints each example's output, then "N passed, M failed" on the last line; exits 1 if any failed.
set -uo pipefail
cd "$(dirname "$0")"

order=(
  01-login-as-admin.sh
  02-list-filter-sort-page.sh
  03-token-details.sh
  04-revoke-token-with-reason.sh
  05-bulk-revoke.sh
  21-bulk-revoke-preview.sh
  06-suspend-and-resume.sh
  07-edit-expiry-and-note.sh
  08-export-csv.sh
  09-sessions.sh
  10-force-logout-user.sh
  12-delete-user.sh
  13-remove-role.sh
  14-grants.sh
  15-settings.sh
  11-logout-all.sh
  16-audit.sh
  17-revoke-signing-key.sh
  18-rewrap-signing-keys.sh
  19-activity.sh
  20-my-sessions.sh
  22-sidecars.sh
  23-event-receivers.sh
)

# Every example in the folder must be in the list, so a new one cannot be skipped silently.
for script in [0-9][0-9]-*.sh; do
  [[ " ${order[*]} " == *" $script "* ]] || { echo "run-all.sh does not run $script: add it to the order" >&2; exit 2; }
done

passed=0
failed=()
for script in "${order[@]}"; do
  echo "######## $script"
  if bash "$script" 2>&1; then
    passed=$((passed + 1))
    echo "######## $script: passed"
  else
    failed+=("$script")
    echo "######## $script: FAILED"
  fi
  echo
done

((${#failed[@]} == 0)) || echo "failed: ${failed[*]}"
echo "$passed passed, ${#failed[@]} failed"
((${#failed[@]} == 0))
