// My sessions page: where the signed-in user (admin or not) is signed in, "This device" marked, ending one session,
// and "Log out everywhere else". Any signed-in user may use it: AuthService's self-service calls need no admin role.
import { mySessions, signOut } from "./api.js";
import { act, dialog, fmt, h, Pager, plural } from "./ui.js";

export function mySessionsPage(root) {
  const pager = new Pager();
  const results = h("div", { class: "results" });

  async function reload() {
    const page = await act(() => mySessions.listMySessions({ pageSize: 25, pageToken: pager.current }));
    if (!page) return;
    pager.next = page.nextPageToken;
    results.replaceChildren(table(page.sessions), pager.controls(reload, plural(page.totalSize, "active session")));
  }

  function device(s) {
    return [s.deviceName, s.deviceId].filter(Boolean).join(" · ") || s.userAgent || "—";
  }

  function table(sessions) {
    const labels = ["Device", "Application", "IP", "Signed in", "Last seen", "Actions"];
    const head = h("tr", {}, labels.map((label) => h("th", { scope: "col" }, label)));
    // data-label names each cell where a narrow window stacks a row's cells under each other.
    const cell = (i, attrs, ...content) => h("td", { "data-label": labels[i], ...attrs }, ...content);
    const rows = sessions.map((s) => h("tr", { "data-session": s.sessionId, class: s.current ? "current" : null },
      cell(0, { class: "device" },
        h("div", { class: "who-cell" },
          h("span", {}, device(s), s.current ? h("span", { class: "badge active this-device" }, "This device") : null),
          s.userAgent && device(s) !== s.userAgent ? h("span", { class: "muted id user-agent", title: s.userAgent }, s.userAgent) : null)),
      cell(1, { title: s.clientId }, s.clientName || s.clientId),
      cell(2, { class: "mono" }, s.ip || "—"),
      cell(3, {}, fmt(s.loginAt)), cell(4, {}, fmt(s.lastSeenAt)),
      cell(5, {}, h("div", { class: "row-actions" },
        h("button", { class: "danger", "aria-label": `End session on ${device(s)}${s.current ? " (this device)" : ""}`,
          onclick: () => end(s) }, s.current ? "End session (sign out)" : "End session")))));
    return h("div", { class: "table-wrap" }, h("table", { class: "stack" },
      h("caption", { class: "visually-hidden" }, "My sessions"),
      h("thead", {}, head),
      h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: 6, class: "empty" }, "No active sessions.")))));
  }

  async function end(s) {
    const answer = await dialog({ title: `End session on ${device(s)}`, confirmLabel: "End session", danger: true,
      message: s.current
        ? "This is the device you are using: ending its session signs you out here."
        : `${s.clientName || s.clientId} on ${device(s)} is signed out, and its tokens stop working at once.` });
    if (!answer) return;
    const ended = await act(() => mySessions.revokeMySession({ sessionId: s.sessionId }),
      (r) => (r.alreadyRevoked ? "That session had already ended." : "Session ended."));
    if (!ended) return;
    if (ended.wasCurrent) await signOut().catch(() => {});
    else reload();
  }

  async function logOutEverywhereElse() {
    const answer = await dialog({ title: "Log out everywhere else", confirmLabel: "Log out everywhere else",
      danger: true, message: "Every other session of yours ends now, on every device and application. This one stays." });
    if (!answer) return;
    if (await act(() => mySessions.revokeMyOtherSessions({}),
      (r) => `${plural(r.revokedSessions, "other session")} ended.`)) reload();
  }

  const toolbar = h("div", { class: "toolbar" },
    h("p", { class: "hint" }, "Where you are signed in. End any session you do not recognise."),
    h("div", { class: "spacer" }),
    h("button", { class: "danger", onclick: logOutEverywhereElse }, "Log out everywhere else"));
  root.replaceChildren(h("h1", {}, "My sessions"), toolbar, results);
  reload();
}
