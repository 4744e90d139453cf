#!/usr/bin/env bash
# A user's own sessions, without an admin: where they are signed in (`current` marks the session of
# the access token sent), ending one they do not recognise, and "log out everywhere else". The
# bearer is the user's own access token, of any client: no admin role is needed.
#
#   grpcurl -plaintext -H "authorization: Bearer $ACCESS_TOKEN" -d '{"page_size":10}' \
#     localhost:7070 tokenauthority.v1.AuthService/ListMySessions
#
#   grpcurl -plaintext -H "authorization: Bearer $ACCESS_TOKEN" -d '{"session_id":"ses_..."}' \
#     localhost:7070 tokenauthority.v1.AuthService/RevokeMySession
#
#   grpcurl -plaintext -H "authorization: Bearer $ACCESS_TOKEN" -d '{}' \
#     localhost:7070 tokenauthority.v1.AuthService/RevokeMyOtherSessions
source "$(dirname "$0")/lib.sh"

run=$(run_id)

step "bob signs in on his laptop, his phone and a tablet"
laptop=$(login_user bob@example.com "20 laptop $run")
phone=$(login_user bob@example.com "20 phone $run")
tablet=$(login_user bob@example.com "20 tablet $run")
token=$(json "$laptop" r.accessToken)
laptop_session=$(json "$laptop" r.sessionId)
phone_session=$(json "$phone" r.sessionId)

step "his active sessions, newest login first, the laptop's marked current"
mine=$(call "$AUTH/ListMySessions" '{"page_size":50}' --bearer "$token")
expect_json "$mine" "r.userEmail === 'bob@example.com' && Number(r.totalSize) >= 3" "bob's sessions"
expect_json "$mine" "r.sessions.filter(s => s.current).map(s => s.sessionId).join() === '$laptop_session'" \
  "the laptop's session is the current one"
expect_json "$mine" "r.sessions.some(s => s.sessionId === '$phone_session' && s.deviceName === '20 phone $run' && s.clientId === '$TA_CLIENT_ID' && s.clientName && s.ip)" \
  "the phone's session, with its device, client and IP"
expect_json "$mine" "r.sessions.every((s, i) => i === 0 || r.sessions[i - 1].loginAt >= s.loginAt)" "newest login first"

step "he ends the phone's session: its refresh token dies with it"
ended=$(call "$AUTH/RevokeMySession" "{\"session_id\":\"$phone_session\"}" --bearer "$token")
expect_json "$ended" '!r.alreadyRevoked && !r.wasCurrent && Number(r.feedSequence) > 0' "ended, and on the revocation feed"
call_fails UNAUTHENTICATED "$AUTH/Refresh" "{\"client_id\":\"$TA_CLIENT_ID\",\"refresh_token\":\"$(json "$phone" r.refreshToken)\"}"
again=$(call "$AUTH/RevokeMySession" "{\"session_id\":\"$phone_session\"}" --bearer "$token")
expect_json "$again" 'r.alreadyRevoked === true' "ending it again changes nothing, and says so"

step "another user's session is not his to end: NOT_FOUND, as for an id that does not exist"
alice=$(login_user alice@example.com "20 alice $run")
call_fails NOT_FOUND "$AUTH/RevokeMySession" "{\"session_id\":\"$(json "$alice" r.sessionId)\"}" --bearer "$token"
call_fails NOT_FOUND "$AUTH/RevokeMySession" '{"session_id":"ses_doesNotExist"}' --bearer "$token"
call_fails INVALID_ARGUMENT "$AUTH/RevokeMySession" '{"session_id":""}' --bearer "$token"

step "log out everywhere else: the tablet ends, the laptop stays"
others=$(call "$AUTH/RevokeMyOtherSessions" '{}' --bearer "$token")
expect_json "$others" 'Number(r.revokedSessions) >= 1 && Number(r.feedSequence) > 0' "the other sessions ended"
call_fails UNAUTHENTICATED "$AUTH/Refresh" "{\"client_id\":\"$TA_CLIENT_ID\",\"refresh_token\":\"$(json "$tablet" r.refreshToken)\"}"
mine=$(call "$AUTH/ListMySessions" '{}' --bearer "$token")
expect_json "$mine" "r.sessions.length === 1 && r.sessions[0].sessionId === '$laptop_session' && r.sessions[0].current" \
  "only the laptop is left"

step "only an access token is a bearer: not a refresh token"
call_fails UNAUTHENTICATED "$AUTH/ListMySessions" '{}' --bearer "$(json "$laptop" r.refreshToken)"
