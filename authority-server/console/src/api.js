// The console's connection to the authority: gRPC-web to this page's own origin, the signed-in user's
// access token held in memory only, and the refresh token in the HttpOnly cookie cookie mode sets
// (page scripts never see it). Admin and self-service calls that find the access token expired refresh
// once and retry.
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { AdminService } from "../gen/tokenauthority/v1/admin_pb.js";
import { AuthService } from "../gen/tokenauthority/v1/auth_pb.js";

export const CLIENT_ID = "admin-console";
/** Cookie-mode calls must carry this header: another site cannot send it without a CORS preflight. */
const BROWSER_HEADERS = { "x-token-authority-browser": "1" };
/** Refresh this long before the access token expires. */
const REFRESH_MARGIN_MS = 60_000;

let accessToken = null;
let refreshTimer = null;
let signedOutHandler = () => {};

/** AuthService's calls about the signed-in user's own sessions: the only ones of AuthService that take the bearer. */
const SELF_SERVICE = new Set(["ListMySessions", "RevokeMySession", "RevokeMyOtherSessions"]);

const bearer = (next) => async (req) => {
  if (accessToken && (req.service.typeName === AdminService.typeName || SELF_SERVICE.has(req.method.name))) {
    req.header.set("authorization", `Bearer ${accessToken}`);
  }
  return next(req);
};

const transport = createGrpcWebTransport({ baseUrl: location.origin, interceptors: [bearer] });
const auth = createClient(AuthService, transport);
const adminClient = createClient(AdminService, transport);

export function onSignedOut(handler) {
  signedOutHandler = handler;
}

/** Claims of the current access token (subject, expiry), decoded for display only. */
function currentClaims() {
  if (!accessToken) return null;
  const payload = accessToken.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(atob(payload));
}

function adopt(pair) {
  accessToken = pair.accessToken;
  clearTimeout(refreshTimer);
  const expiresMs = Number(pair.accessTokenExpiresAt.seconds) * 1000;
  refreshTimer = setTimeout(() => refresh().catch(() => signedOut()),
    Math.max(5_000, expiresMs - Date.now() - REFRESH_MARGIN_MS));
}

function signedOut() {
  accessToken = null;
  clearTimeout(refreshTimer);
  signedOutHandler();
}

export async function signIn(username, password) {
  adopt(await auth.login({
    clientId: CLIENT_ID, username, password, cookieMode: true,
    device: { name: "Admin console", userAgent: navigator.userAgent },
  }, { headers: BROWSER_HEADERS }));
}

/** Rotates the cookie's refresh token for a new access token; fails when there is no live cookie. */
export async function refresh() {
  adopt(await auth.refresh({ clientId: CLIENT_ID, cookieMode: true }, { headers: BROWSER_HEADERS }));
}

export async function signOut() {
  try {
    await auth.logout({ cookieMode: true }, { headers: BROWSER_HEADERS });
  } finally {
    signedOut();
  }
}

/** Whether the signed-in user's token carries an admin scope (a user without an admin role has none). */
export function isAdmin() {
  return (currentClaims()?.scope ?? "").split(" ").some((scope) => scope.startsWith("admin:"));
}

/**
 * The unary methods `wrapped` picks of a client, with one retry after a refresh when the access token has expired or
 * been revoked; a second UNAUTHENTICATED means the session is over.
 */
function retryingOnce(client, service, wrapped) {
  return new Proxy(client, {
    get(target, method) {
      const call = target[method];
      // Streams (ExportTokens) are iterated, not awaited: they pass through unchanged.
      if (typeof call !== "function" || service.method[method]?.methodKind !== "unary" || !wrapped(method)) return call;
      return async (...args) => {
        try {
          return await call.apply(target, args);
        } catch (e) {
          if (!(e instanceof ConnectError) || e.code !== Code.Unauthenticated) throw e;
          try {
            await refresh();
          } catch {
            signedOut();
            throw e;
          }
          return call.apply(target, args);
        }
      };
    },
  });
}

/** AdminService, retried once after a refresh (see retryingOnce). */
export const admin = retryingOnce(adminClient, AdminService, () => true);

/** The signed-in user's own sessions (ListMySessions, RevokeMySession, RevokeMyOtherSessions), retried the same way. */
export const mySessions = retryingOnce(auth, AuthService, (method) => SELF_SERVICE.has(AuthService.method[method]?.name));

/** Collects a server stream (ExportTokens) into one Blob. */
export async function collect(stream, type) {
  const parts = [];
  for await (const chunk of stream) parts.push(chunk.data);
  return new Blob(parts, { type });
}
