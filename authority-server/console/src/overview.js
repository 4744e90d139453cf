// Overview page (the landing page): activity over the last hour (per minute) or the last 24 hours (per hour), drawn
// with uPlot (small, MIT, bundled like the rest). Each chart is a card; other cards (the sidecar fleet's
// freshness, say) are added to `overviewCards` and rendered after the activity ones.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { ActivityRange } from "../gen/tokenauthority/v1/admin_pb.js";
import { admin } from "./api.js";
import { act, fmt, h, plural } from "./ui.js";

/**
 * Cards shown after the activity charts: { id, title, render(body) } where render fills the card's body (it may be
 * async). Another page's module pushes its card here.
 */
export const overviewCards = [];

const RANGES = [
  { key: "hour", label: "Last hour", range: ActivityRange.LAST_HOUR, per: "per minute" },
  { key: "day", label: "Last 24 hours", range: ActivityRange.LAST_DAY, per: "per hour" },
];

/** The activity charts: what each plots, how it is summed in the card's headline, and its colour. */
const SERIES = [
  { id: "active-sessions", title: "Active sessions", value: (b) => (b.activeSessions === undefined ? null : Number(b.activeSessions)),
    summary: (values) => `${latest(values) ?? "—"} now`, color: "#2454d6", line: true },
  { id: "logins", title: "Logins", value: (b) => Number(b.logins), summary: total("login"), color: "#1e7d3a" },
  { id: "refreshes", title: "Refreshes", value: (b) => Number(b.refreshes), summary: total("refresh", "refreshes"), color: "#5b6475" },
  { id: "revocations", title: "Revocations", value: (b) => Number(b.revocations), summary: total("revocation"), color: "#9a6700" },
  { id: "reuse-detections", title: "Reuse detections", value: (b) => Number(b.reuseDetections),
    summary: total("reuse detection"), color: "#b3261e" },
];

function total(one, many) {
  return (values) => plural(values.reduce((sum, v) => sum + (v ?? 0), 0), one, many);
}

function latest(values) {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null) return values[i];
  return null;
}

let selected = "hour";

export function overviewPage(root) {
  const cards = h("div", { class: "cards" });
  const asOf = h("p", { class: "muted as-of" });
  const buttons = RANGES.map((r) => h("button", { "data-range": r.key, "aria-pressed": String(r.key === selected),
    onclick: () => { selected = r.key; buttons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.range === selected))); load(); } },
  r.label));

  async function load() {
    const range = RANGES.find((r) => r.key === selected);
    const activity = await act(() => admin.getActivity({ range: range.range }));
    if (!activity) return;
    const x = activity.buckets.map((b) => Number(b.start.seconds));
    cards.replaceChildren(...SERIES.map((s) => chartCard(s, x, activity.buckets.map(s.value), range)),
      ...overviewCards.map(extraCard));
    asOf.textContent = `As of ${fmt(activity.asOf)}. Other replicas' counts can be up to a minute behind.`;
  }

  root.replaceChildren(h("h1", {}, "Overview"),
    h("div", { class: "toolbar", role: "group", "aria-label": "Range" }, buttons), cards, asOf);
  load();
}

function chartCard(series, x, values, range) {
  const plot = h("div", { class: "chart", role: "img", "aria-label": `${series.title}, ${range.label.toLowerCase()}, ${range.per}` });
  const card = h("section", { class: "card", "data-card": series.id, "aria-labelledby": `card-${series.id}` },
    h("header", {}, h("h2", { id: `card-${series.id}` }, series.title),
      h("span", { class: "headline" }, series.summary(values)), h("span", { class: "muted" }, range.per)),
    plot);
  // Drawn once the card is in the page, at the width the layout gave it; redrawn when that width changes, and
  // let go once the card has left the page (another range, another page), which the observer also reports.
  requestAnimationFrame(() => {
    if (!plot.isConnected) return;
    const chart = new uPlot(options(series, range, plot.clientWidth), [x, values], plot);
    const resize = new ResizeObserver(() => {
      if (plot.isConnected) {
        chart.setSize({ width: plot.clientWidth, height: HEIGHT });
      } else {
        resize.disconnect();
        chart.destroy();
      }
    });
    resize.observe(plot);
  });
  return card;
}

const HEIGHT = 150;

function options(series, range, width) {
  const minutes = range.key === "hour";
  return {
    width: Math.max(200, width), height: HEIGHT,
    legend: { show: false },
    cursor: { y: false },
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
    axes: [
      { stroke: "#5b6475", grid: { stroke: "#eef1f6" }, ticks: { show: false },
        values: (u, splits) => splits.map((s) => new Date(s * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })),
        space: minutes ? 70 : 60 },
      { stroke: "#5b6475", grid: { stroke: "#eef1f6" }, ticks: { show: false }, size: 44,
        values: (u, splits) => splits.map((s) => (Number.isInteger(s) ? String(s) : "")) },
    ],
    series: [{}, {
      label: series.title, stroke: series.color, width: 2, spanGaps: true,
      fill: series.line ? `${series.color}22` : `${series.color}aa`,
      paths: series.line ? undefined : uPlot.paths.bars({ size: [0.8, 40] }),
      // A sample between gaps (or the only one yet) would draw no line: every sample gets a dot.
      points: { show: !!series.line, size: 5, fill: series.color },
    }],
  };
}

function extraCard(card) {
  const body = h("div", { class: "card-body" });
  const section = h("section", { class: "card", "data-card": card.id, "aria-labelledby": `card-${card.id}` },
    h("header", {}, h("h2", { id: `card-${card.id}` }, card.title)), body);
  Promise.resolve(card.render(body)).catch((e) => body.replaceChildren(h("p", { class: "error" }, String(e?.message ?? e))));
  return section;
}
