// Shared by the Node tests: gRPC-web clients for the authority's web port, with cookie handling a
// browser would do (Node has no cookie jar) and the environment the JUnit harness passes in.
import { createClient } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-node";
import { AuthService } from "../gen/tokenauthority/v1/auth_pb.js";
import { AdminService } from "../gen/tokenauthority/v1/admin_pb.js";

export const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (the JUnit harness sets it)`);
  return value;
};

export const webUrl = () => env("TA_WEB_URL");

export function clients(binary = true) {
  const transport = createGrpcWebTransport({ baseUrl: webUrl(), httpVersion: "1.1", useBinaryFormat: binary });
  return { auth: createClient(AuthService, transport), admin: createClient(AdminService, transport) };
}

/** Headers a same-origin page sends on a cookie-mode call. */
export function browserHeaders(origin = webUrl(), cookie) {
  const headers = { origin, "x-token-authority-browser": "1" };
  if (cookie) headers.cookie = cookie;
  return headers;
}

/** Calls `fn(options)` and returns [result, the Set-Cookie values of the response]. */
export async function withCookies(fn) {
  let setCookies = [];
  const onHeader = (headers) => { setCookies = headers.getSetCookie ? headers.getSetCookie() : []; };
  const result = await fn({ onHeader });
  return [result, setCookies];
}

/**
 * "__Host-ta_refresh=value" (a Secure listener) or "ta_refresh=value" (localhost over plain HTTP) from a Set-Cookie
 * list, for the next request's Cookie header.
 */
export function refreshCookie(setCookies) {
  const cookie = setCookies.find((c) => /^(__Host-)?ta_refresh=[^;]/.test(c));
  if (!cookie) throw new Error(`no refresh cookie in ${JSON.stringify(setCookies)}`);
  return cookie.split(";")[0];
}
