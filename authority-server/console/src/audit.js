// Audit page: who did what, to what, when and why, filtered and paged.
import { admin } from "./api.js";
import { act, fmt, h, Pager, timestampOf } from "./ui.js";

/** An email where there is one, with the id beneath it (the filters take ids); else the id alone. */
function who(email, id, fallback) {
  if (!email) return h("span", { class: "mono" }, id || fallback);
  return h("span", { class: "who-cell" }, email, id ? h("span", { class: "mono muted id" }, id) : null);
}

export function auditPage(root) {
  const pager = new Pager();
  const results = h("div", { class: "results" });
  const field = (id, label, type = "text") => h("label", { for: id }, label, h("input", { id, type }));
  const form = h("form", { class: "toolbar", onsubmit: (e) => { e.preventDefault(); pager.reset(); reload(); } },
    field("audit-actor", "Actor id"), field("audit-action", "Action"), field("audit-target", "Target id"),
    field("audit-after", "After", "datetime-local"), field("audit-before", "Before", "datetime-local"),
    h("button", { type: "submit" }, "Filter"));
  const value = (id) => form.querySelector(`#${id}`).value.trim();

  async function reload() {
    const page = await act(() => admin.listAuditEvents({ actorId: value("audit-actor"), action: value("audit-action"),
      targetId: value("audit-target"), occurredAfter: timestampOf(value("audit-after")),
      occurredBefore: timestampOf(value("audit-before")), pageSize: 50, pageToken: pager.current }));
    if (!page) return;
    pager.next = page.nextPageToken;
    const rows = page.events.map((e) => h("tr", {},
      h("td", {}, fmt(e.occurredAt)), h("td", { class: "wrap" }, who(e.actorEmail, e.actorId, e.actorType)),
      h("td", {}, h("strong", {}, e.action)),
      h("td", { class: "wrap" }, h("span", { class: "muted" }, `${e.targetType} `), who(e.targetEmail, e.targetId, "—")),
      h("td", { class: "wrap reason" }, e.reason || "—"), h("td", { class: "mono" }, e.callerIp || "—"),
      h("td", {}, e.detailsJson && e.detailsJson !== "{}" ? h("details", {}, h("summary", {}, "Details"),
        h("pre", {}, JSON.stringify(JSON.parse(e.detailsJson), null, 2))) : "—")));
    const columns = ["Time", "Actor", "Action", "Target", "Reason", "Caller IP", "Before / after"];
    results.replaceChildren(h("div", { class: "table-wrap" }, h("table", {},
      h("caption", { class: "visually-hidden" }, "Audit events"),
      h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: columns.length, class: "empty" }, "Nothing matches."))))),
      pager.controls(reload));
  }
  root.replaceChildren(h("h1", {}, "Audit"), form, results);
  reload();
}
