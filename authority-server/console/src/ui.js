// Small DOM helpers shared by the pages: element building, feedback, dialogs, formatting.
import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";

/** h("button", { onclick, class: "x" }, "Label") — attributes starting with "on" become listeners. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function toast(message, kind = "ok") {
  const item = h("div", { class: `toast ${kind}`, role: kind === "error" ? "alert" : "status" }, message);
  document.getElementById("toasts").append(item);
  setTimeout(() => item.remove(), kind === "error" ? 12_000 : 5_000);
}

/** The server's own words, with what a permission error means for this admin. */
export function explain(error) {
  if (error instanceof ConnectError) {
    switch (error.code) {
      case Code.PermissionDenied:
        return `Not allowed: ${error.rawMessage}. Your role does not include this action; an admin can grant it.`;
      case Code.Unauthenticated:
        return `Signed out: ${error.rawMessage}. Sign in again.`;
      case Code.Unavailable:
        return `The authority is unavailable (${error.rawMessage}). Try again in a moment.`;
      default:
        return `${Code[error.code]}: ${error.rawMessage}`;
    }
  }
  return String(error?.message ?? error);
}

/** Runs an action, reporting success or the server's error; resolves to the result or undefined. */
export async function act(action, success) {
  try {
    const result = await action();
    if (success) toast(typeof success === "function" ? success(result) : success);
    return result;
  } catch (e) {
    toast(explain(e), "error");
    return undefined;
  }
}

/** "1 token", "2 tokens": a count with its noun; `many` for irregular plurals. Counts may be bigints (int64). */
export function plural(count, one, many = `${one}s`) {
  const n = Number(count);
  return `${n} ${n === 1 ? one : many}`;
}

export const fmt = (ts) => (ts ? timestampDate(ts).toLocaleString() : "—");

/** A datetime-local or date input's value as a Timestamp, or undefined when empty. */
export function timestampOf(value) {
  return value ? timestampFromDate(new Date(value)) : undefined;
}

/** The value a datetime-local input shows for a Timestamp. */
export function inputValueOf(ts) {
  if (!ts) return "";
  const d = timestampDate(ts);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/**
 * A modal dialog with fields; resolves to the fields' values on confirm, null on cancel or Esc.
 * `typed` requires the user to type an exact phrase before the confirm button works; `body` is an
 * element shown under the message (a preview of what the action will touch, say).
 */
export function dialog({ title, message, body, fields = [], confirmLabel = "Confirm", danger = false, typed }) {
  return new Promise((resolve) => {
    const inputs = fields.map((f) => h(f.multiline ? "textarea" : "input", {
      id: `dlg-${f.name}`, name: f.name, type: f.type ?? "text", required: f.required, value: f.value ?? "",
      placeholder: f.placeholder, autocomplete: "off",
    }));
    const confirmInput = typed ? h("input", { id: "dlg-typed", name: "typed", autocomplete: "off" }) : null;
    const confirm = h("button", { type: "submit", class: danger ? "danger" : "primary", disabled: !!typed }, confirmLabel);
    if (confirmInput) confirmInput.addEventListener("input", () => { confirm.disabled = confirmInput.value !== typed; });
    const form = h("form", { method: "dialog" },
      h("h2", {}, title),
      message ? h("p", {}, message) : null,
      body ?? null,
      fields.map((f, i) => h("label", { for: `dlg-${f.name}` }, f.label, inputs[i])),
      confirmInput ? h("label", { for: "dlg-typed" }, `Type ${typed} to confirm`, confirmInput) : null,
      h("div", { class: "actions" },
        h("button", { type: "button", value: "cancel", onclick: () => close(null) }, "Cancel"),
        confirm));
    const el = h("dialog", { class: "modal", "aria-label": title }, form);
    const close = (value) => { el.close(); el.remove(); resolve(value); };
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!form.reportValidity()) return;
      close(Object.fromEntries(fields.map((f, i) => [f.name, inputs[i].value.trim()])));
    });
    el.addEventListener("cancel", (event) => { event.preventDefault(); close(null); });
    document.body.append(el);
    el.showModal();
    (inputs[0] ?? confirmInput ?? confirm).focus();
  });
}

/** A side panel (modal, so focus stays in it; Esc closes it). Returns a function that closes it. */
export function drawer(title, content, onClose) {
  const closeButton = h("button", { class: "close", "aria-label": "Close details" }, "×");
  const el = h("dialog", { class: "drawer", "aria-label": title }, h("header", {}, h("h2", {}, title), closeButton), content);
  const close = () => { el.close(); el.remove(); onClose?.(); };
  closeButton.addEventListener("click", close);
  el.addEventListener("cancel", (event) => { event.preventDefault(); close(); });
  document.body.append(el);
  el.showModal();
  closeButton.focus();
  return close;
}

/** A table whose headers sort (aria-sort tells screen readers the current order). */
export function sortableTable({ columns, rows, order, onSort, caption }) {
  const head = h("tr", {}, columns.map((c) => {
    if (!c.sort) return h("th", { scope: "col" }, c.label);
    const active = order.column === c.sort;
    const next = active && order.direction === "asc" ? "desc" : "asc";
    return h("th", { scope: "col", "aria-sort": active ? (order.direction === "asc" ? "ascending" : "descending") : "none" },
      h("button", { class: "sort", onclick: () => onSort({ column: c.sort, direction: next }) },
        c.label, active ? (order.direction === "asc" ? " ▲" : " ▼") : ""));
  }));
  return h("div", { class: "table-wrap" }, h("table", {},
    caption ? h("caption", { class: "visually-hidden" }, caption) : null,
    h("thead", {}, head),
    h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: columns.length, class: "empty" }, "Nothing matches.")))));
}

/** Previous/next over opaque page tokens: keeps the tokens of the pages already seen. */
export class Pager {
  constructor() { this.reset(); }
  reset() { this.tokens = [""]; this.index = 0; this.next = ""; }
  get current() { return this.tokens[this.index]; }
  forward() { this.tokens[this.index + 1] = this.next; this.index += 1; }
  back() { this.index = Math.max(0, this.index - 1); }
  controls(reload, summary) {
    return h("nav", { class: "pager", "aria-label": "Pages" },
      h("button", { disabled: this.index === 0, onclick: () => { this.back(); reload(); } }, "← Previous"),
      h("span", {}, `Page ${this.index + 1}${summary ? ` · ${summary}` : ""}`),
      h("button", { disabled: !this.next, onclick: () => { this.forward(); reload(); } }, "Next →"));
  }
}
