// Charts of the public data series (/api/data/series/...), drawn with echarts, shared by the
// evidence page and the claim checks in the detail panel. Every chart names its source file and
// unit and links the series as CSV. Data reaches the page only as text nodes or canvas text.
import { loadScript } from "./common.js";
import { api, el, label, t } from "./common.js";
import { fill } from "./i18n.js";

const RED = "#c0262d";
const BLUE = "#1f77b4";
const GREY = "#9aa5b1";

// echarts tooltips are HTML strings: escape every piece of data that goes into one.
export function esc(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

const cache = new Map();

// One series' observations (cached per page).
export function seriesData(id) {
  if (!cache.has(id)) {
    cache.set(id, api(`/api/data/series/${encodeURIComponent(id)}`).catch((err) => { cache.delete(id); throw err; }));
  }
  return cache.get(id);
}

let listing = null;
export function seriesList() {
  if (!listing) listing = api("/api/data/series").then((r) => r.data).catch((err) => { listing = null; throw err; });
  return listing;
}

export function csvHref(id) { return `/api/data/series/${encodeURIComponent(id)}?format=csv`; }

// The files a series comes from: its own, or those of the series it is derived from.
function sourceFiles(meta, all) {
  if (meta.source_file) return [meta.source_file];
  const byId = new Map(all.map((s) => [s.id, s]));
  const files = new Set();
  for (const d of meta.derived_from || []) {
    const s = byId.get(d);
    if (s && s.source_file) files.add(s.source_file);
  }
  return [...files].sort();
}

// "Source: file(s) · unit: ... · CSV" under a chart.
export function sourceLine(meta, all, unit) {
  const files = sourceFiles(meta, all);
  return el("p", { class: "source muted", "data-role": "source" },
    `${t(meta.derived ? "sourceDerived" : "source")}: `,
    files.length ? files.flatMap((f, i) => [i ? ", " : "", el("code", {}, f)]) : t("noFile"),
    meta.source_column ? [" (", el("span", { lang: "zh" }, meta.source_column), ")"] : null,
    ` · ${t("unit")}: ${unit || meta.unit || "-"} · `,
    el("a", { href: csvHref(meta.id), download: `${meta.id}.csv`, "data-role": "csv" }, t("csv")));
}

function byYear(data, area) {
  const out = new Map();
  for (const o of data) if (o.area === area) out.set(o.period, o.value);
  return out;
}

function years(data) { return [...new Set(data.map((o) => o.period))].sort(); }

function round(v, digits = 3) { return v === null || v === undefined ? null : Number(v.toFixed(digits)); }

function areaName(data, id) {
  const o = data.find((x) => x.area === id);
  return o ? label({ label: o.area_label }) || id : id;
}

function lineTooltip(unit) {
  return {
    trigger: "axis",
    formatter: (ps) => [esc(ps[0].axisValue), ...ps.map((p) => `${esc(p.seriesName)}: ${esc(p.value ?? "-")}${unit ? " " + esc(unit) : ""}`)].join("<br>"),
  };
}

// Province values of one year as bars, lowest first, the `highlight` provinces in red.
function provinceBars(chart, payload, { year, highlight = [], mini }) {
  const data = payload.data.filter((o) => o.period === year).sort((a, b) => a.value - b.value);
  const values = data.map((o) => o.value);
  chart.setOption({
    grid: { left: 50, right: 12, top: 28, bottom: mini ? 44 : 84 },
    tooltip: { trigger: "item", formatter: (p) => `${esc(p.name)} (${esc(year)}): ${esc(p.value)}<br>${esc(fill(t("rankFromBottom"), { n: p.dataIndex + 1, m: data.length }))}` },
    xAxis: { type: "category", data: data.map((o) => label({ label: o.area_label }) || o.area),
      axisLabel: { rotate: 60, interval: 0, fontSize: mini ? 8 : 11 } },
    yAxis: { type: "value", min: Math.floor(Math.min(...values) - 1), name: payload.series.unit, nameTextStyle: { align: "left" } },
    series: [{ type: "bar", name: year, data: data.map((o) => ({ value: o.value, itemStyle: { color: highlight.includes(o.area) ? RED : GREY } })),
      label: { show: !mini, position: "top", fontSize: 9, formatter: (p) => (highlight.includes(data[p.dataIndex].area) ? String(p.value) : "") } }],
  });
  return data.length;
}

// Lines over the years, one per area.
function areaLines(chart, payload, { areas, colors = [RED, BLUE, "#2ca02c"], ratio, markYear, paperValue, mini }) {
  const ys = years(payload.data);
  let lines;
  let unit = payload.series.unit;
  if (ratio) {
    const [a, b] = ratio.map((id) => byYear(payload.data, id));
    lines = [{ name: `${areaName(payload.data, ratio[0])} / ${areaName(payload.data, ratio[1])}`,
      values: ys.map((y) => (a.has(y) && b.has(y) && b.get(y) ? round(a.get(y) / b.get(y)) : null)) }];
    unit = t("ratio");
  } else {
    lines = areas.map((id) => ({ name: areaName(payload.data, id), values: ys.map((y) => { const m = byYear(payload.data, id); return m.has(y) ? round(m.get(y), 2) : null; }) }));
  }
  const marks = [];
  if (markYear) marks.push({ xAxis: markYear.year, label: { formatter: markYear.label }, lineStyle: { color: "#333", type: "dashed" } });
  if (paperValue !== null && paperValue !== undefined) marks.push({ yAxis: paperValue, label: { formatter: fill(t("paperMark"), { v: paperValue }) }, lineStyle: { color: "#b07d00", type: "dashed" } });
  chart.setOption({
    grid: { left: 56, right: mini ? 40 : 90, top: lines.length > 1 ? 44 : 30, bottom: 30 },
    legend: { show: lines.length > 1, top: 0, right: 10, data: lines.map((l) => l.name) },
    tooltip: lineTooltip(unit),
    xAxis: { type: "category", data: ys, axisLabel: { fontSize: mini ? 9 : 11 } },
    yAxis: { type: "value", scale: true, name: unit, nameTextStyle: { align: "left" } },
    series: lines.map((l, i) => ({ type: "line", name: l.name, data: l.values, connectNulls: false,
      itemStyle: { color: colors[i % colors.length] }, lineStyle: { width: 2 },
      markLine: i === 0 && marks.length ? { symbol: "none", data: marks } : undefined })),
  });
  return ys.length;
}

// How each series is charted: the `charts` section of the paper's check file (/api/view/charts):
// which series, which areas, titles and marks. Nothing about the paper is written here.
let chartSpec = null;
export function chartsSpec() {
  if (!chartSpec) {
    chartSpec = api("/api/view/charts").catch((err) => { chartSpec = null; throw err; });
  }
  return chartSpec;
}

function draw(spec) {
  const mark = spec.mark_year ? { year: spec.mark_year, label: spec.mark_label ? label({ label: spec.mark_label }) : spec.mark_year } : undefined;
  if (spec.draw === "province-bars") return (c, p, o) => provinceBars(c, p, { year: o.year || spec.year, highlight: spec.highlight, mini: o.mini });
  if (spec.draw === "ratio") return (c, p, o) => areaLines(c, p, { ratio: spec.areas, paperValue: o.paperValue, mini: o.mini });
  const colors = spec.areas.length === 1 ? [BLUE] : undefined;
  return (c, p, o) => areaLines(c, p, { areas: spec.areas, colors, markYear: mark, mini: o.mini });
}

async function specOf(id) {
  const spec = (await chartsSpec().catch(() => ({ series: [] }))).series.find((s) => s.series === id);
  return spec || null;
}

// Which of a check's series to draw beside it: a chart declared for the check, else the first
// declared chart among the series the check lists.
export async function checkSeries(check) {
  const specs = (await chartsSpec().catch(() => ({ series: [] }))).series;
  const own = specs.find((s) => s.checks.includes(check.id) && check.series.includes(s.series));
  const first = own || specs.find((s) => check.series.includes(s.series));
  return first ? first.series : null;
}

// Whether the chart of series `id` marks the paper's value of a check (a ratio chart does).
export async function marksPaperValue(id) {
  const spec = await specOf(id);
  return Boolean(spec && spec.draw === "ratio");
}

// Charts animate their first drawing, unless the reader asked the system for less motion
// (prefers-reduced-motion: reduce): then each chart is drawn once, in its final state.
const REDUCED_MOTION = typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches;

export function newChart(node) {
  const chart = echarts.init(node);
  if (REDUCED_MOTION) chart.setOption({ animation: false });
  return chart;
}

// Draw series `id` into a block appended to `box` now (so blocks keep their order); resolves to the
// echarts instance, or null when there is no chart to draw.
// echarts is loaded on the pages that draw a chart, when the first chart is drawn.
export async function loadEcharts() {
  if (typeof echarts !== "undefined") return true;
  try { await loadScript("/vendor/echarts/dist/echarts.min.js"); } catch (e) { return false; }
  return typeof echarts !== "undefined";
}

export async function seriesChart(box, id, { mini = false, year, paperValue, title } = {}) {
  const block = el("figure", { class: `datachart${mini ? " mini" : ""}`, "data-series": id });
  box.append(block);
  const spec = await specOf(id);
  if (!spec) { block.remove(); return null; }
  if (!mini) block.append(el("h3", {}, title || label({ label: spec.title })));
  if (!(await loadEcharts())) { block.remove(); return null; }
  let payload;
  let all;
  try {
    [payload, all] = await Promise.all([seriesData(id), seriesList()]);
  } catch (err) {
    block.append(el("p", { class: "error" }, `${t("error")}: ${err.message || err}`));
    return null;
  }
  const node = el("div", { class: `chart${mini ? " mini" : ""}`, "data-chart": id });
  block.append(node, el("figcaption", {}, sourceLine(payload.series, all, spec.unit ? label({ label: spec.unit }) : null)));
  const chart = newChart(node);
  node.dataset.points = String(draw(spec)(chart, payload, { mini, year, paperValue }));
  return chart;
}
