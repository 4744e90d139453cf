#!/usr/bin/env bash
# Export every token matching a filter as CSV. A server stream: each message carries a chunk of
# the file in `data` (base64 in JSON). Concatenate the decoded chunks.
#
#   grpcurl -plaintext -H "authorization: Bearer $(cat "$TA_STATE_DIR/admin.token")" \
#     -d '{"filter":{"query":"alice@example.com"},"format":"EXPORT_FORMAT_CSV"}' \
#     localhost:7070 tokenauthority.v1.AdminService/ExportTokens \
#   | jq -r '.data' | base64 -d > tokens.csv
source "$(dirname "$0")/lib.sh"

csv_file="$TA_STATE_DIR/alice-tokens.csv"

step "alice logs in"
token_id=$(json "$(login_user alice@example.com "08 export")" r.refreshTokenId)

step "export alice's tokens as CSV"
chunks=$(call "$ADMIN/ExportTokens" '{"filter":{"query":"alice@example.com"},"format":"EXPORT_FORMAT_CSV"}' --admin)
expect_json "$chunks" 'rs.length >= 1 && rs.every(c => typeof c.data === "string")' "one or more chunks"
json "$chunks" 'rs.map(c => Buffer.from(c.data, "base64").toString("utf8")).join("")' >"$csv_file"
echo "   saved $(wc -l <"$csv_file") lines in $csv_file" >&2

step "the CSV has a header and a row for the new token"
header=$(head -n 1 "$csv_file")
[[ "$header" == *token_id* && "$header" == *user_email* && "$header" == *status* ]] \
  || fail "unexpected CSV header: $header"
echo "   ok: header: $header" >&2
grep -q "$token_id" "$csv_file" || fail "$token_id is not in the export"
echo "   ok: $token_id is in the export" >&2
if grep -v '^token_id\|^"token_id' "$csv_file" | grep -qv 'alice@example.com'; then
  fail "the export holds rows that are not alice's"
fi
echo "   ok: every row is alice's" >&2
