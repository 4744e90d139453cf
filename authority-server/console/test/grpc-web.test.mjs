// A real gRPC-web client (Connect's gRPC-web transport) against a running authority's web port:
// cookie-mode login, refresh with rotation, reuse of an old cookie, logout, cross-site refusals,
// CORS preflights, an admin call with a bearer token, a user's own sessions with theirs, and the gRPC-web-text wire
// format.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Code, ConnectError } from "@connectrpc/connect";
import { create, toBinary, fromBinary } from "@bufbuild/protobuf";
import { LoginRequestSchema, TokenPairSchema } from "../gen/tokenauthority/v1/auth_pb.js";
import { browserHeaders, clients, env, refreshCookie, webUrl, withCookies } from "./web-client.mjs";

const { auth, admin } = clients();
const clientId = env("TA_CLIENT_ID");
const ADMIN_CLIENT_ID = "admin-cli";
const username = env("TA_USERNAME");
const password = env("TA_PASSWORD");

const login = (headers, extra = {}) => withCookies((opts) =>
  auth.login({ clientId, username, password, cookieMode: true, ...extra }, { headers, ...opts }));
const refresh = (cookie) => withCookies((opts) =>
  auth.refresh({ clientId, cookieMode: true }, { headers: browserHeaders(webUrl(), cookie), ...opts }));

async function rejects(promise, code) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof ConnectError, `expected a gRPC error, got ${e}`);
    assert.equal(Code[e.code], code, e.message);
    return true;
  });
}

test("cookie-mode login keeps the refresh token in an HttpOnly, SameSite=Strict cookie", async () => {
  const [pair, setCookies] = await login(browserHeaders());
  assert.ok(pair.accessToken.split(".").length === 3, "an access token in the body");
  assert.equal(pair.refreshToken, "", "no refresh token in the body");
  // The listener is Secure (TLS): the name carries __Host-, so no other host can set or shadow it.
  const cookie = setCookies.find((c) => c.startsWith("__Host-ta_refresh=ta_rt_"));
  assert.ok(cookie, `Set-Cookie: ${setCookies}`);
  const attributes = cookie.split(";").map((a) => a.trim());
  for (const attribute of ["HttpOnly", "SameSite=Strict", "Path=/", "Secure"]) {
    assert.ok(attributes.includes(attribute), `${attribute} in ${cookie}`);
  }
});

test("refresh rotates the cookie; the old value is reuse and ends the session", async () => {
  const [first, loginCookies] = await login(browserHeaders());
  const original = refreshCookie(loginCookies);
  const [second, rotatedCookies] = await refresh(original);
  const rotated = refreshCookie(rotatedCookies);
  assert.notEqual(rotated, original);
  assert.equal(second.sessionId, first.sessionId);
  assert.equal(second.refreshToken, "");
  assert.notEqual(second.accessToken, first.accessToken);

  await rejects(refresh(original), "Unauthenticated");
  // Reuse revoked the whole family: the rotated cookie is dead too.
  await rejects(refresh(rotated), "Unauthenticated");
});

test("logout clears the cookie and ends the session", async () => {
  const [pair, loginCookies] = await login(browserHeaders());
  const cookie = refreshCookie(loginCookies);
  const [out, cleared] = await withCookies((opts) =>
    auth.logout({ cookieMode: true }, { headers: browserHeaders(webUrl(), cookie), ...opts }));
  assert.equal(out.sessionId, pair.sessionId);
  assert.ok(cleared.some((c) => c.startsWith("__Host-ta_refresh=;") && c.includes("Max-Age=0")), `${cleared}`);
  await rejects(refresh(cookie), "Unauthenticated");
});

test("refresh without a cookie is UNAUTHENTICATED", async () => {
  await rejects(refresh(undefined), "Unauthenticated");
});

test("cookie mode refuses calls another site could forge", async () => {
  const noHeader = { origin: webUrl() };
  await rejects(login(noHeader), "PermissionDenied");
  await rejects(login(browserHeaders("https://evil.example")), "PermissionDenied");
  await rejects(login({ "x-token-authority-browser": "1" }), "PermissionDenied");
});

test("an allowed cross-origin page may use cookie mode", async () => {
  const [pair] = await login(browserHeaders(env("TA_ALLOWED_ORIGIN")));
  assert.equal(pair.refreshToken, "");
});

test("without cookie mode the refresh token is in the body, as on the gRPC port", async () => {
  const pair = await auth.login({ clientId, username, password });
  assert.match(pair.refreshToken, /^ta_rt_/);
  const next = await auth.refresh({ clientId, refreshToken: pair.refreshToken });
  assert.match(next.refreshToken, /^ta_rt_/);
  await rejects(auth.refresh({ clientId, refreshToken: "x", cookieMode: true },
    { headers: browserHeaders() }), "InvalidArgument");
});

test("admin calls authorise with an admin access token (audience token-authority-admin) only", async () => {
  const pair = await auth.login({ clientId: ADMIN_CLIENT_ID, username: env("TA_ADMIN_USERNAME"), password: env("TA_ADMIN_PASSWORD") });
  const page = await admin.listTokens({ pageSize: 5 }, { headers: { authorization: `Bearer ${pair.accessToken}` } });
  assert.ok(page.tokens.length > 0);
  await rejects(admin.listTokens({ pageSize: 5 }), "Unauthenticated");
  const appPair = await auth.login({ clientId, username: env("TA_ADMIN_USERNAME"), password: env("TA_ADMIN_PASSWORD") });
  await rejects(admin.listTokens({ pageSize: 5 }, { headers: { authorization: `Bearer ${appPair.accessToken}` } }),
    "PermissionDenied");
});

test("a user lists and ends their own sessions with their access token as the bearer, no admin role needed", async () => {
  const here = await auth.login({ clientId, username, password, device: { name: "grpc-web here" } });
  const there = await auth.login({ clientId, username, password, device: { name: "grpc-web there" } });
  const asUser = { headers: { authorization: `Bearer ${here.accessToken}` } };
  const mine = await auth.listMySessions({ pageSize: 500 }, asUser);
  assert.equal(mine.userEmail, username);
  assert.deepEqual(mine.sessions.filter((s) => s.current).map((s) => s.sessionId), [here.sessionId]);
  assert.ok(mine.sessions.some((s) => s.sessionId === there.sessionId && s.deviceName === "grpc-web there"
    && s.clientId === clientId && s.ip), "the other session, with its device, client and IP");
  // The text wire format answers the same list.
  const asText = await clients(false).auth.listMySessions({ pageSize: 500 }, asUser);
  assert.equal(asText.totalSize, mine.totalSize);

  const ended = await auth.revokeMySession({ sessionId: there.sessionId }, asUser);
  assert.equal(ended.alreadyRevoked, false);
  assert.ok(ended.feedSequence > 0n);
  await rejects(auth.refresh({ clientId, refreshToken: there.refreshToken }), "Unauthenticated");
  const after = await auth.listMySessions({ pageSize: 500 }, asUser);
  assert.ok(!after.sessions.some((s) => s.sessionId === there.sessionId), "no longer listed");

  await rejects(auth.listMySessions({}), "Unauthenticated");
  await rejects(auth.listMySessions({}, { headers: { authorization: `Bearer ${here.refreshToken}` } }), "Unauthenticated");
  await rejects(auth.revokeMySession({ sessionId: "" }, asUser), "InvalidArgument");
});

test("ExportTokens streams its chunks over gRPC-web", async () => {
  const pair = await auth.login({ clientId: ADMIN_CLIENT_ID, username: env("TA_ADMIN_USERNAME"), password: env("TA_ADMIN_PASSWORD") });
  let csv = "";
  for await (const chunk of admin.exportTokens({ format: 1 }, { headers: { authorization: `Bearer ${pair.accessToken}` } })) {
    csv += new TextDecoder().decode(chunk.data);
  }
  assert.match(csv.split("\n")[0], /token_id/);
  assert.ok(csv.includes(pair.refreshTokenId), "the admin's own token is exported");
});

test("CORS preflight: an allowed origin may send credentials and the CSRF header, another may not", async () => {
  const preflight = (origin) => fetch(`${webUrl()}/tokenauthority.v1.AuthService/Refresh`, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type,x-grpc-web,x-token-authority-browser,authorization",
    },
  });
  const allowed = await preflight(env("TA_ALLOWED_ORIGIN"));
  assert.ok(allowed.ok, `status ${allowed.status}`);
  assert.equal(allowed.headers.get("access-control-allow-origin"), env("TA_ALLOWED_ORIGIN"));
  assert.equal(allowed.headers.get("access-control-allow-credentials"), "true");
  assert.match(allowed.headers.get("access-control-allow-headers") ?? "", /x-token-authority-browser/);

  // Without the allow-origin header the browser fails the preflight and never sends the call.
  const refused = await preflight("https://evil.example");
  assert.equal(refused.headers.get("access-control-allow-origin"), null);
  assert.equal(refused.headers.get("access-control-allow-credentials"), null);
});

test("gRPC-web-text (base64 frames) is served too", async () => {
  const request = toBinary(LoginRequestSchema, create(LoginRequestSchema, { clientId, username, password }));
  const frame = new Uint8Array(5 + request.length);
  new DataView(frame.buffer).setUint32(1, request.length);
  frame.set(request, 5);
  const response = await fetch(`${webUrl()}/tokenauthority.v1.AuthService/Login`, {
    method: "POST",
    headers: { "content-type": "application/grpc-web-text", "x-grpc-web": "1", accept: "application/grpc-web-text" },
    body: Buffer.from(frame).toString("base64"),
  });
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type"), /application\/grpc-web-text/);
  const bytes = decodeBase64Chunks(await response.text());
  assert.equal(bytes[0], 0, "first frame is a message");
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(1);
  const pair = fromBinary(TokenPairSchema, bytes.subarray(5, 5 + length));
  assert.match(pair.refreshToken, /^ta_rt_/);
  const trailer = Buffer.from(bytes.subarray(10 + length)).toString();
  assert.match(trailer, /grpc-status:\s*0/);
});

/** A gRPC-web-text body may be several base64 chunks, each with its own padding. */
function decodeBase64Chunks(text) {
  const chunks = text.match(/[A-Za-z0-9+/]+=*/g) ?? [];
  return new Uint8Array(Buffer.concat(chunks.map((c) => Buffer.from(c, "base64"))));
}
