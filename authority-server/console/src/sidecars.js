// The sidecar fleet: the Sidecars page (every sidecar of every replica, refreshed live), its card on the Overview,
// and the line each revocation made here ends with: how many connected sidecars have applied it.
import { SidecarState } from "../gen/tokenauthority/v1/admin_pb.js";
import { admin } from "./api.js";
import { act, fmt, h, plural, sortableTable } from "./ui.js";
import { overviewCards } from "./overview.js";

/** Every revocation the console makes waits this long for the connected sidecars to apply it, and says how many did. */
export const SIDECAR_WAIT = { timeout: { seconds: 5n } };
/** How often the Sidecars page reads the fleet again while it is shown. */
const REFRESH_MS = 2_000;

const STATES = {
  [SidecarState.FRESH]: ["fresh", "active"],
  [SidecarState.LAGGING]: ["lagging", "suspended"],
  [SidecarState.NOT_REPORTING]: ["not reporting", "suspended"],
  [SidecarState.GONE]: ["gone", "revoked"],
};

/** "Applied by 12 of 12 sidecars in 38 ms." from a revocation's answer (empty when it did not wait). */
export function appliedLine(answer) {
  const applied = answer?.sidecarsApplied;
  if (!applied) return "";
  if (applied.connected === 0) return " No sidecar is connected.";
  const ms = Math.round(Number(applied.elapsed?.seconds ?? 0n) * 1000 + (applied.elapsed?.nanos ?? 0) / 1e6);
  const of = `${applied.applied} of ${plural(applied.connected, "sidecar")}`;
  return applied.timedOut ? ` Applied by ${of} so far (${applied.connected - applied.applied} still to apply after ${ms} ms).`
    : ` Applied by ${of} in ${ms} ms.`;
}

function counts(fleet) {
  return [[fleet.fresh, "fresh"], [fleet.lagging, "lagging"], [fleet.notReporting, "not reporting"], [fleet.gone, "gone"]];
}

function lag(s) {
  if (s.state === SidecarState.NOT_REPORTING) return "—";
  if (Number(s.lagEntries) === 0) return "at head";
  return `${plural(s.lagEntries, "entry", "entries")}, ${Number(s.lagMillis)} ms`;
}

export function sidecarsPage(root) {
  const summary = h("p", { class: "summary", role: "status" });
  const results = h("div", { class: "results" });

  async function load() {
    const fleet = await act(() => admin.listSidecars({}));
    if (!fleet) return;
    summary.textContent = `${counts(fleet).map(([n, label]) => `${n} ${label}`).join(" · ")} · log head ${fleet.headSequence}`;
    const columns = [{ label: "Sidecar" }, { label: "State" }, { label: "Position" }, { label: "Lag" },
      { label: "Last heartbeat" }, { label: "Replica" }, { label: "Address" }, { label: "Connected since" },
      { label: "Client" }, { label: "Version" }];
    const rows = fleet.sidecars.map((s) => {
      const [label, badge] = STATES[s.state] ?? ["unknown", ""];
      return h("tr", { "data-sidecar": s.sidecarId },
        h("td", { class: "mono" }, s.sidecarId), h("td", {}, h("span", { class: `badge ${badge}` }, label)),
        h("td", {}, Number(s.appliedSequence) < 0 ? "—" : String(s.appliedSequence)), h("td", {}, lag(s)),
        h("td", {}, fmt(s.lastHeartbeatAt)), h("td", { class: "mono clip", title: s.replica }, s.replica),
        h("td", { class: "mono" }, s.address || "—"),
        h("td", {}, s.disconnectedAt ? `${fmt(s.connectedAt)} (left ${fmt(s.disconnectedAt)})` : fmt(s.connectedAt)),
        h("td", {}, s.clientId || "mTLS"), h("td", {}, s.version || "—"));
    });
    results.replaceChildren(sortableTable({ columns, rows, order: {}, caption: "Sidecars", onSort: () => {} }));
  }

  // Read again every REFRESH_MS while this page is shown; the timer stops once the page has been replaced.
  async function tick() {
    await load();
    if (results.isConnected) setTimeout(tick, REFRESH_MS);
  }
  root.replaceChildren(h("h1", {}, "Sidecars"),
    h("p", { class: "muted" }, "Every sidecar following any replica's revocation feed, and those that left in the last hour. "
      + "The position is what each sidecar reports it has applied. Refreshed every 2 s."),
    summary, results);
  tick();
}

overviewCards.push({
  id: "sidecars",
  title: "Sidecar fleet",
  async render(body) {
    const fleet = await admin.listSidecars({});
    body.replaceChildren(
      h("ul", { class: "fleet-counts" }, counts(fleet).map(([n, label]) =>
        h("li", { "data-state": label }, h("strong", {}, String(n)), ` ${label}`))),
      h("a", { href: "#/sidecars" }, "See every sidecar"));
  },
});
