// Evidence and data: the text's statistics as charts (echarts, served from its npm package) and
// the eight-region division on a province map; every statistic listed with its quote.
import { api, clear, el, exploreLink, iriLink, label, setupPage, showError, t } from "./common.js";

const app = document.getElementById("app");
const charts = [];

// echarts tooltips are HTML strings: escape every piece of data that goes into one.
function esc(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

function measure(s) { return label({ label: s.measure }) || label(s); }

function percent(s) { return s.unit === "share" ? Math.round(s.value * 10000) / 100 : s.value; }

function barChart(box, title, stats, value, { axisMax, markLine } = {}) {
  if (!stats.length) return;
  const node = el("div", { class: "chart", "data-chart": title });
  box.append(el("h3", {}, title), node);
  const chart = echarts.init(node);
  charts.push(chart);
  const names = stats.map((s) => {
    const area = s.area.map((a) => label(a)).join(" / ");
    return `${measure(s)}${area ? ` (${area})` : ""}`;
  });
  chart.setOption({
    grid: { left: 330, right: 40, top: 10, bottom: 30 },
    tooltip: { trigger: "item", formatter: (p) => `${esc(p.name)}<br>${esc(stats[p.dataIndex].quote || "")}` },
    xAxis: { type: "value", max: axisMax },
    yAxis: { type: "category", data: names, axisLabel: { width: 320, overflow: "truncate", formatter: (v) => (v.length > 46 ? v.slice(0, 45) + "…" : v) } },
    series: [{ type: "bar", data: stats.map((s) => value(s)), label: { show: true, position: "right" },
      itemStyle: { color: "#c0262d" }, markLine }],
  });
  chart.on("click", (p) => { location.href = `/explore?node=${encodeURIComponent(stats[p.dataIndex].id)}`; });
}

const SUFFIX = /(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$/;

async function regionMap(box) {
  const [regions, geo] = await Promise.all([api("/api/view/regions"), api("/api/view/geo/china").catch(() => null)]);
  box.append(el("h3", {}, t("mapTitle")));
  if (!geo) { box.append(el("p", { class: "muted" }, t("noMap"))); return; }
  echarts.registerMap("china-argraph", geo);
  const names = geo.features.map((f) => f.properties.name);
  const data = [];
  const eight = regions.data.filter((r) => (r.label.en || "").includes("Figure 1"));
  const shown = eight.length ? eight : regions.data;
  shown.forEach((r, i) => {
    for (const m of r.members) {
      const zh = (m.label.zh || "").replace(SUFFIX, "");
      const hit = names.find((n) => zh && (n.startsWith(zh) || zh.startsWith(n)));
      if (hit) data.push({ name: hit, value: i, region: label(r), province: label(m), id: r.id });
    }
  });
  const node = el("div", { class: "chart map", id: "map" });
  box.append(node);
  const legendList = el("ul", { class: "items" }, shown.map((r) => el("li", { "data-region": r.id },
    exploreLink(r), iriLink(r.iri), `: ${r.members.map((m) => label(m)).join(", ")}`)));
  box.append(legendList);
  const chart = echarts.init(node);
  charts.push(chart);
  const palette = ["#c0262d", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"];
  chart.setOption({
    tooltip: { formatter: (p) => (p.data ? `${esc(p.data.province)}<br>${esc(p.data.region)}` : esc(p.name)) },
    visualMap: { type: "piecewise", show: true, left: 0, bottom: 0,
      pieces: shown.map((r, i) => ({ value: i, label: label(r), color: palette[i % palette.length] })) },
    series: [{ type: "map", map: "china-argraph", roam: true, data, label: { show: false } }],
  });
  chart.on("click", (p) => { if (p.data) location.href = `/explore?node=${encodeURIComponent(p.data.id)}`; });
}

async function render() {
  try {
    const stats = (await api("/api/statistics?limit=1000")).data;
    for (const c of charts.splice(0)) c.dispose();
    clear(app);
    const box = el("div", { id: "charts" });
    app.append(box);
    if (typeof echarts === "undefined") {
      box.append(el("p", { class: "error" }, t("noEcharts")));
    } else {
      const inArea = (s, id) => s.area.some((a) => a.id === id);
      barChart(box, t("chartShares"), stats.filter((s) => s.section === "sec-2" && ["percent", "share"].includes(s.unit)
        && inArea(s, "region-northeast")), percent, { axisMax: 100 });
      barChart(box, t("chartRanks"), stats.filter((s) => s.unit === "rank-from-bottom"), (s) => s.value);
      barChart(box, t("chartRatios"), stats.filter((s) => ["ratio", "times"].includes(s.unit)
        && inArea(s, "yangtze-river-delta")), (s) => s.value,
      { markLine: { symbol: "none", data: [{ xAxis: 1 }], lineStyle: { color: "#333" } } });
      await regionMap(box);
    }
    const table = el("table", { class: "grid", id: "statistics" });
    table.append(el("thead", {}, el("tr", {}, [t("kind.statistic"), t("value"), t("unit"), t("period"), t("areas"), t("quote")]
      .map((h) => el("th", { scope: "col" }, h)))));
    table.append(el("tbody", {}, stats.map((s) => el("tr", { "data-stat": s.id },
      el("td", {}, exploreLink({ ...s, label: s.measure.en || s.measure.zh ? s.measure : s.label })),
      el("td", {}, s.value_text || String(s.value)), el("td", {}, s.unit || ""), el("td", {}, s.period || ""),
      el("td", {}, s.area.map((a) => label(a)).join(", ")),
      el("td", { lang: "zh" }, s.quote || "")))));
    app.append(el("h3", {}, t("otherStats")), table);
  } catch (err) { showError(app, err); }
}

setupPage(() => render());
