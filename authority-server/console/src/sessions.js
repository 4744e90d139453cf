// Sessions page: who is signed in where, force logout per user, and the emergency
// "log out all users" behind a typed confirmation.
import { admin } from "./api.js";
import { appliedLine, SIDECAR_WAIT } from "./sidecars.js";
import { act, dialog, fmt, h, Pager, plural, sortableTable } from "./ui.js";

export const LOG_OUT_EVERYONE = "REVOKE ALL SESSIONS";

export function sessionsPage(root) {
  const state = { query: "", activeOnly: true, order: { column: "last_seen_at", direction: "desc" } };
  const pager = new Pager();
  const results = h("div", { class: "results" });

  async function reload() {
    const page = await act(() => admin.listSessions({ query: state.query, activeOnly: state.activeOnly,
      orderBy: `${state.order.column} ${state.order.direction}`, pageSize: 25, pageToken: pager.current }));
    if (!page) return;
    pager.next = page.nextPageToken;
    results.replaceChildren(table(page.sessions), pager.controls(reload));
  }
  const search = () => { pager.reset(); reload(); };

  function table(sessions) {
    const columns = [{ label: "User", sort: "user_email" }, { label: "Client", sort: "client_id" },
      { label: "Login", sort: "login_at" }, { label: "Last seen", sort: "last_seen_at" },
      { label: "Token expires", sort: "expires_at" }, { label: "IP" }, { label: "Device" }, { label: "Status" },
      { label: "Actions" }];
    const rows = sessions.map((s) => h("tr", {},
      h("td", {}, s.userEmail), h("td", {}, s.clientId), h("td", {}, fmt(s.loginAt)), h("td", {}, fmt(s.lastSeenAt)),
      h("td", {}, fmt(s.refreshExpiresAt)), h("td", { class: "mono" }, s.ip || "—"),
      h("td", { class: "clip", title: s.userAgent }, [s.deviceName, s.deviceId].filter(Boolean).join(" · ") || s.userAgent || "—"),
      h("td", {}, s.status),
      // The flex box inside the cell, not on it: a flex <td> is no table cell, and its borders fall out of line.
      h("td", {}, h("div", { class: "row-actions" },
        h("button", { onclick: () => revokeSession(s) }, "End session"),
        h("button", { class: "danger", "aria-label": `Force logout ${s.userEmail}`, onclick: () => forceLogout(s) },
          "Force logout")))));
    return sortableTable({ columns, rows, order: state.order, caption: "Sessions",
      onSort: (order) => { state.order = order; search(); } });
  }

  async function revokeSession(s) {
    const answer = await dialog({ title: `End session ${s.sessionId}`, confirmLabel: "End session", danger: true,
      message: `${s.userEmail} on ${s.clientId} is signed out of this session only.`,
      fields: [{ name: "reason", label: "Reason", required: true }] });
    if (answer && await act(() => admin.revokeSession({ sessionId: s.sessionId, reason: answer.reason,
      waitForSidecars: SIDECAR_WAIT }), (r) => `Session ended.${appliedLine(r)}`)) reload();
  }

  async function forceLogout(s) {
    const answer = await dialog({ title: `Force logout ${s.userEmail}`, confirmLabel: "Force logout", danger: true,
      message: "Every session and token of this user ends now, on every device.",
      fields: [{ name: "reason", label: "Reason", required: true }] });
    if (!answer) return;
    if (await act(() => admin.revokeUserTokens({ userId: s.userId, reason: answer.reason,
      waitForSidecars: SIDECAR_WAIT }),
      (r) => `${s.userEmail} logged out: ${plural(r.revokedSessions, "session")} ended.${appliedLine(r)}`)) reload();
  }

  async function logOutEveryone() {
    const answer = await dialog({ title: "Log out all users", confirmLabel: "Log out everyone", danger: true, typed: LOG_OUT_EVERYONE,
      message: "Every access token issued before now is denied by every sidecar, and every session ends. Use it for an incident.",
      fields: [{ name: "reason", label: "Reason", required: true }] });
    if (!answer) return;
    if (await act(() => admin.revokeAllSessions({ reason: answer.reason, confirm: LOG_OUT_EVERYONE,
      waitForSidecars: SIDECAR_WAIT }), (r) => `Everyone has been logged out.${appliedLine(r)}`)) reload();
  }

  const searchBox = h("input", { type: "search", id: "session-search", placeholder: "Email, client id or session id",
    onkeydown: (e) => { if (e.key === "Enter") { state.query = e.target.value.trim(); search(); } } });
  const toolbar = h("div", { class: "toolbar" },
    h("label", { for: "session-search" }, "Search", searchBox),
    h("button", { onclick: () => { state.query = searchBox.value.trim(); search(); } }, "Search"),
    h("label", { class: "inline" }, h("input", { type: "checkbox", checked: true,
      onchange: (e) => { state.activeOnly = e.target.checked; search(); } }), " Active only"),
    h("div", { class: "spacer" }),
    h("button", { class: "danger", onclick: logOutEveryone }, "Log out all users"));
  root.replaceChildren(h("h1", {}, "Sessions"), toolbar, results);
  reload();
}
