// The refresh cookie's name and attributes, and the refusal of ambiguous cookies, through Connect's gRPC-web client.
// TA_SECURE=1: a listener whose cookie is Secure (served over TLS here): "__Host-ta_refresh", Path=/, no Domain, and
// a plain "ta_refresh" (which any host of the parent domain could set) is ignored. TA_SECURE=0: the localhost dev
// listener over plain HTTP: "ta_refresh" on the AuthService path, without Secure.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Code, ConnectError } from "@connectrpc/connect";
import { browserHeaders, clients, env, webUrl, withCookies } from "./web-client.mjs";

const { auth } = clients();
const clientId = env("TA_CLIENT_ID");
const username = env("TA_USERNAME");
const password = env("TA_PASSWORD");
const secure = env("TA_SECURE") === "1";

const NAME = secure ? "__Host-ta_refresh" : "ta_refresh";
const OTHER = secure ? "ta_refresh" : "__Host-ta_refresh";

const cookieLogin = (cookie) => withCookies((opts) =>
  auth.login({ clientId, username, password, cookieMode: true }, { headers: browserHeaders(webUrl(), cookie), ...opts }));
const cookieRefresh = (cookie) => withCookies((opts) =>
  auth.refresh({ clientId, cookieMode: true }, { headers: browserHeaders(webUrl(), cookie), ...opts }));
/** A refresh token in the body, as a non-browser client gets it: a value that is valid but was never a cookie. */
const bodyLogin = () => auth.login({ clientId, username, password });

/** The Set-Cookie value for `name`, split into the "name=value" pair and its attributes. */
function parse(setCookies, name) {
  const line = setCookies.find((c) => c.startsWith(`${name}=`));
  assert.ok(line, `no ${name} in Set-Cookie: ${JSON.stringify(setCookies)}`);
  const [pair, ...attributes] = line.split(";").map((part) => part.trim());
  return { pair, value: pair.slice(name.length + 1), attributes };
}

async function rejects(promise, code, message) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof ConnectError, `expected a gRPC error, got ${e}`);
    assert.equal(Code[e.code], code, e.message);
    assert.match(e.rawMessage, message);
    return true;
  });
}

test(`login sets ${NAME} with the attributes its name requires`, async () => {
  const [pair, setCookies] = await cookieLogin();
  assert.equal(pair.refreshToken, "");
  const cookie = parse(setCookies, NAME);
  assert.match(cookie.value, /^ta_rt_/);
  assert.ok(cookie.attributes.includes("HttpOnly"), cookie.attributes);
  assert.ok(cookie.attributes.includes("SameSite=Strict"), cookie.attributes);
  assert.ok(!cookie.attributes.some((a) => /^domain=/i.test(a)), `no Domain: ${cookie.attributes}`);
  if (secure) {
    // A browser drops a __Host- cookie without exactly these.
    assert.ok(cookie.attributes.includes("Path=/"), cookie.attributes);
    assert.ok(cookie.attributes.includes("Secure"), cookie.attributes);
  } else {
    assert.ok(cookie.attributes.includes("Path=/tokenauthority.v1.AuthService/"), cookie.attributes);
    assert.ok(!cookie.attributes.includes("Secure"), cookie.attributes);
  }
  assert.ok(!setCookies.some((c) => c.startsWith(`${OTHER}=`)), `only ${NAME}: ${setCookies}`);
});

test(`refresh reads and rotates ${NAME}; logout clears it`, async () => {
  const [first, loginCookies] = await cookieLogin();
  const original = parse(loginCookies, NAME).pair;
  const [second, refreshCookies] = await cookieRefresh(original);
  const rotated = parse(refreshCookies, NAME);
  assert.equal(second.sessionId, first.sessionId);
  assert.notEqual(rotated.pair, original);
  const [, cleared] = await withCookies((opts) =>
    auth.logout({ cookieMode: true }, { headers: browserHeaders(webUrl(), rotated.pair), ...opts }));
  const deletion = parse(cleared, NAME);
  assert.equal(deletion.value, "");
  assert.ok(deletion.attributes.includes("Max-Age=0"), deletion.attributes);
  assert.ok(deletion.attributes.includes(secure ? "Path=/" : "Path=/tokenauthority.v1.AuthService/"));
});

test(`the same refresh cookie twice is refused, and neither token is used`, async () => {
  const a = parse((await cookieLogin())[1], NAME).pair;
  const b = parse((await cookieLogin())[1], NAME).pair;
  await rejects(cookieRefresh(`${a}; ${b}`), "Unauthenticated", /more than one refresh cookie/);
  await rejects(cookieRefresh(`${b}; theme=dark; ${a}`), "Unauthenticated", /more than one refresh cookie/);
  // Had either been picked and rotated, presenting it again would be reuse and end its session.
  await cookieRefresh(a);
  await cookieRefresh(b);
});

if (secure) {
  // Any host of the parent domain can set a plain ta_refresh with Domain=parent, which this host cannot delete; were
  // it refused beside ours, a sibling subdomain could make every refresh fail for as long as it liked.
  test("__Host-ta_refresh beside a plain ta_refresh is used, in either order, and the plain one never", async () => {
    const body = await bodyLogin();
    const other = `ta_refresh=${body.refreshToken}`;
    const [, loginCookies] = await cookieLogin();
    const [, refreshed] = await cookieRefresh(`${other}; ${parse(loginCookies, NAME).pair}`);
    await cookieRefresh(`${parse(refreshed, NAME).pair}; ${other}`);
    // Never read: the plain token still refreshes once, as a body-mode client would.
    await auth.refresh({ clientId, refreshToken: body.refreshToken });
  });
} else {
  test(`${NAME} beside ${OTHER} is refused, in either order, and neither token is used`, async () => {
    const ours = parse((await cookieLogin())[1], NAME).pair;
    const other = `${OTHER}=${(await bodyLogin()).refreshToken}`;
    await rejects(cookieRefresh(`${other}; ${ours}`), "Unauthenticated", /more than one refresh cookie/);
    await rejects(cookieRefresh(`${ours}; ${other}`), "Unauthenticated", /more than one refresh cookie/);
    await cookieRefresh(ours);
  });
}

if (secure) {
  test("a plain ta_refresh alone is ignored, and the first cookie-mode answer deletes it", async () => {
    const body = await bodyLogin();
    await rejects(cookieRefresh(`ta_refresh=${body.refreshToken}`), "Unauthenticated", /no refresh cookie/);
    // Never read: the token still refreshes once, as a body-mode client would.
    await auth.refresh({ clientId, refreshToken: body.refreshToken });

    const [, setCookies] = await cookieLogin(`ta_refresh=${(await bodyLogin()).refreshToken}`);
    parse(setCookies, "__Host-ta_refresh");
    const deletion = parse(setCookies, "ta_refresh");
    assert.equal(deletion.value, "");
    assert.ok(deletion.attributes.includes("Max-Age=0"), deletion.attributes);
    assert.ok(deletion.attributes.includes("Path=/tokenauthority.v1.AuthService/"), deletion.attributes);
  });
}
