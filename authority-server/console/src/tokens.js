// Tokens page: search, filter, sort, page, details with audit history, and the
// revoke / suspend / resume / edit / delete / bulk revoke / export actions.
import { BatchRevokeResult_Outcome, ExportFormat, TokenStatus } from "../gen/tokenauthority/v1/admin_pb.js";
import { admin, collect } from "./api.js";
import { appliedLine, SIDECAR_WAIT } from "./sidecars.js";
import { act, dialog, drawer, fmt, h, inputValueOf, Pager, plural, sortableTable, timestampOf, toast } from "./ui.js";

const STATUSES = ["ACTIVE", "ROTATED", "REVOKED", "EXPIRED", "SUSPENDED"];
const statusName = (s) => TokenStatus[s] ?? "UNKNOWN";

export function tokensPage(root) {
  const state = { query: "", statuses: new Set(), issuedAfter: "", issuedBefore: "", expiresBefore: "",
    order: { column: "issued_at", direction: "desc" }, selected: new Set() };
  const pager = new Pager();
  const results = h("div", { class: "results" });

  const filter = () => ({
    query: state.query,
    statuses: [...state.statuses].map((s) => TokenStatus[s]),
    issuedAfter: timestampOf(state.issuedAfter),
    issuedBefore: timestampOf(state.issuedBefore),
    expiresBefore: timestampOf(state.expiresBefore),
  });

  async function reload() {
    const page = await act(() => admin.listTokens({ ...filter(), orderBy: `${state.order.column} ${state.order.direction}`,
      pageSize: 25, pageToken: pager.current }));
    if (!page) return;
    pager.next = page.nextPageToken;
    results.replaceChildren(table(page.tokens), pager.controls(reload, plural(page.totalSize, "token")));
  }
  const search = () => { pager.reset(); state.selected.clear(); reload(); };

  function table(tokens) {
    const columns = [{ label: "" }, { label: "Token ID", sort: "token_id" }, { label: "User", sort: "user_email" },
      { label: "Client", sort: "client_id" }, { label: "Issued At", sort: "issued_at" },
      { label: "Last Used", sort: "last_used_at" }, { label: "Expires At", sort: "expires_at" },
      { label: "Status", sort: "status" }];
    const rows = tokens.map((t) => h("tr", {},
      h("td", {}, h("input", { type: "checkbox", "aria-label": `Select ${t.tokenId}`, checked: state.selected.has(t.tokenId),
        onchange: (e) => { e.target.checked ? state.selected.add(t.tokenId) : state.selected.delete(t.tokenId); updateBulk(); } })),
      h("td", {}, h("button", { class: "link mono", onclick: () => details(t.tokenId) }, t.tokenId)),
      h("td", {}, t.userEmail), h("td", {}, t.clientId), h("td", {}, fmt(t.issuedAt)), h("td", {}, fmt(t.lastUsedAt)),
      h("td", {}, fmt(t.expiresAt)), h("td", {}, h("span", { class: `badge ${statusName(t.status).toLowerCase()}` }, statusName(t.status)))));
    return sortableTable({ columns, rows, order: state.order, caption: "Refresh tokens",
      onSort: (order) => { state.order = order; pager.reset(); reload(); } });
  }

  const bulkButton = h("button", { class: "danger", disabled: true, onclick: bulkRevoke }, "Revoke selected");
  function updateBulk() {
    bulkButton.disabled = state.selected.size === 0;
    bulkButton.textContent = `Revoke selected (${state.selected.size})`;
  }

  async function bulkRevoke() {
    const ids = [...state.selected];
    const answer = await dialog({ title: `Revoke ${plural(ids.length, "token")}`, confirmLabel: "Revoke", danger: true,
      message: "Their sessions end at once; sidecars deny their access tokens within moments.",
      fields: [{ name: "reason", label: "Reason", required: true }] });
    if (!answer) return;
    const result = await act(() => admin.batchRevokeTokens({ tokenIds: ids, reason: answer.reason,
      waitForSidecars: SIDECAR_WAIT }), (r) => {
      const revoked = r.results.filter((x) => x.outcome === BatchRevokeResult_Outcome.REVOKED).length;
      return `Revoked ${revoked} of ${plural(ids.length, "token")} (${ids.length - revoked} already revoked or not found).`
        + appliedLine(r);
    });
    if (result) { state.selected.clear(); updateBulk(); reload(); }
  }

  // Revoking by filter previews first (validate_only: counts and the first tokens it would hit), then
  // echoes the previewed count back: if the filter matched other tokens meanwhile, the authority
  // refuses and revokes nothing, and the admin previews again.
  async function revokeMatching() {
    const preview = (await act(() => admin.batchRevokeTokens({ filter: filter(), validateOnly: true })))?.preview;
    if (!preview) return;
    if (Number(preview.tokenCount) === 0) {
      toast(`No live token matches this filter${Number(preview.alreadyRevokedCount) ? ` (${plural(preview.alreadyRevokedCount, "token")} already revoked)` : ""}.`);
      return;
    }
    const sample = h("table", { class: "preview-sample" }, h("caption", {}, `First ${preview.sample.length} of ${plural(preview.tokenCount, "token")}`),
      h("thead", {}, h("tr", {}, ["Token ID", "User", "Client", "Session"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, preview.sample.map((t) => h("tr", {}, h("td", { class: "mono" }, t.tokenId), h("td", {}, t.userEmail),
        h("td", {}, t.clientId), h("td", { class: "mono" }, t.sessionId)))));
    const already = Number(preview.alreadyRevokedCount);
    const answer = await dialog({ title: "Revoke all matching tokens", confirmLabel: `Revoke ${plural(preview.tokenCount, "token")}`,
      danger: true, body: sample,
      message: `This revokes ${plural(preview.tokenCount, "token")} in ${plural(preview.sessionCount, "session")} of `
        + `${plural(preview.userCount, "user")}${already ? ` (${already} more already revoked)` : ""}. Their sessions end at once; `
        + "sidecars deny their access tokens within moments.",
      fields: [{ name: "reason", label: "Reason", required: true }] });
    if (!answer) return;
    const result = await act(() => admin.batchRevokeTokens({ filter: filter(), reason: answer.reason,
      expectedCount: preview.tokenCount, waitForSidecars: SIDECAR_WAIT }),
    (r) => `Revoked ${plural(r.revokedCount, "token")}.${appliedLine(r)}`);
    if (result) { state.selected.clear(); updateBulk(); reload(); }
  }

  async function exportCsv() {
    const blob = await act(() => collect(admin.exportTokens({ filter: filter(), format: ExportFormat.CSV }), "text/csv"),
      "Export ready.");
    if (!blob) return;
    const link = h("a", { href: URL.createObjectURL(blob), download: "tokens.csv" });
    document.body.append(link);
    link.click();
    link.remove();
  }

  async function details(tokenId) {
    const d = await act(() => admin.getToken({ tokenId }));
    if (!d) return;
    const t = d.token;
    const status = statusName(t.status);
    const after = async (promise, message) => {
      if (await act(() => promise, message)) { close(); reload(); details(tokenId); }
    };
    const withReason = async (title, label, danger, run, message) => {
      const answer = await dialog({ title, confirmLabel: label, danger, fields: [{ name: "reason", label: "Reason", required: danger }] });
      if (answer) after(run(answer.reason), message);
    };
    const actions = h("div", { class: "actions" },
      ["ACTIVE", "SUSPENDED", "ROTATED"].includes(status) ? h("button", { class: "danger",
        onclick: () => withReason(`Revoke ${tokenId}`, "Revoke", true, (reason) => admin.revokeToken({ tokenId, reason, waitForSidecars: SIDECAR_WAIT }),
          (r) => `Token revoked.${appliedLine(r)}`) }, "Revoke") : null,
      status === "ACTIVE" ? h("button", {
        onclick: () => withReason(`Suspend ${tokenId}`, "Suspend", false, (reason) => admin.suspendToken({ tokenId, reason }), "Token suspended.") }, "Suspend") : null,
      status === "SUSPENDED" ? h("button", {
        onclick: () => withReason(`Resume ${tokenId}`, "Resume", false, (reason) => admin.resumeToken({ tokenId, reason }), "Token resumed.") }, "Resume") : null,
      h("button", { onclick: () => edit(t, after) }, "Edit"),
      ["REVOKED", "EXPIRED"].includes(status) ? h("button", { class: "danger",
        onclick: () => withReason(`Delete ${tokenId}`, "Delete", true, (reason) => admin.deleteToken({ tokenId, reason }), "Token deleted.") }, "Delete") : null);
    const s = d.session;
    const content = h("div", { class: "details" }, actions,
      definitions("Token", [["Status", status], ["User", t.userEmail], ["Client", t.clientId], ["Session", t.sessionId],
        ["Issued", fmt(t.issuedAt)], ["Last used", fmt(t.lastUsedAt)], ["Expires", fmt(t.expiresAt)],
        ["Hash prefix", d.tokenHashPrefix], ["Parent", d.parentTokenId || "—"], ["Note", t.note || "—"],
        ["Tags", t.tags.join(", ") || "—"], ["Audience", d.audience.join(", ")], ["Scopes", d.scopes.join(" ")],
        ...(d.revokedAt ? [["Revoked", `${fmt(d.revokedAt)} by ${d.revokedBy}: ${d.revokeReason}`]] : [])]),
      s ? definitions("Session", [["Login", fmt(s.loginAt)], ["Last seen", fmt(s.lastSeenAt)], ["IP", s.ip || "—"],
        ["Device", [s.deviceName, s.deviceId].filter(Boolean).join(" · ") || "—"], ["User agent", s.userAgent || "—"],
        ["Status", s.status]]) : null,
      d.latestAccessToken ? h("section", {}, h("h3", {}, "Latest access token"),
        h("p", { class: "mono" }, `${d.latestAccessToken.jti}${d.latestAccessToken.revoked ? " (revoked)" : ""}`),
        h("pre", { class: "claims" }, JSON.stringify(JSON.parse(d.latestAccessToken.claimsJson || "{}"), null, 2))) : null,
      h("section", {}, h("h3", {}, "Audit history"), h("ol", { class: "audit-history" },
        d.auditEvents.map((e) => h("li", {}, h("strong", {}, e.action), ` · ${fmt(e.occurredAt)} · ${e.actorEmail || e.actorId || e.actorType}`,
          e.reason ? ` · “${e.reason}”` : "")))));
    const close = drawer(`Token ${tokenId}`, content);
  }

  async function edit(t, after) {
    const answer = await dialog({ title: `Edit ${t.tokenId}`, confirmLabel: "Save", fields: [
      { name: "expiresAt", label: "Expires at", type: "datetime-local", value: inputValueOf(t.expiresAt), required: true },
      { name: "note", label: "Note", value: t.note, multiline: true },
      { name: "reason", label: "Reason" }] });
    if (!answer) return;
    after(admin.updateToken({ token: { tokenId: t.tokenId, expiresAt: timestampOf(answer.expiresAt), note: answer.note },
      updateMask: { paths: ["expires_at", "note"] }, reason: answer.reason }), "Token updated.");
  }

  const searchBox = h("input", { type: "search", id: "token-search", placeholder: "Email, client id or token id",
    onkeydown: (e) => { if (e.key === "Enter") { state.query = e.target.value.trim(); search(); } } });
  const dateInput = (id, label, key) => h("label", { for: id }, label, h("input", { id, type: "date",
    onchange: (e) => { state[key] = e.target.value; search(); } }));
  const toolbar = h("div", { class: "toolbar" },
    h("label", { for: "token-search" }, "Search", searchBox),
    h("button", { onclick: () => { state.query = searchBox.value.trim(); search(); } }, "Search"),
    h("fieldset", { class: "statuses" }, h("legend", {}, "Status"), STATUSES.map((s) => h("label", {},
      h("input", { type: "checkbox", value: s, onchange: (e) => { e.target.checked ? state.statuses.add(s) : state.statuses.delete(s); search(); } }),
      ` ${s}`))),
    dateInput("issued-after", "Issued after", "issuedAfter"),
    dateInput("issued-before", "Issued before", "issuedBefore"),
    dateInput("expires-before", "Expires before", "expiresBefore"),
    h("div", { class: "spacer" }),
    bulkButton,
    h("button", { class: "danger", onclick: revokeMatching }, "Revoke all matching…"),
    h("button", { onclick: exportCsv }, "Export CSV"));
  root.replaceChildren(h("h1", {}, "Tokens"), toolbar, results);
  updateBulk();
  reload();
}

function definitions(title, pairs) {
  return h("section", {}, h("h3", {}, title), h("dl", {}, pairs.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])));
}
