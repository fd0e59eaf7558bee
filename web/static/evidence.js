// Evidence and data: the public series as charts (source file, unit, CSV), what is not loaded and
// how to load it, the claim checks with their verdicts, the text's statistics as charts (echarts,
// served from its npm package), the eight-region division on a province map, every statistic
// listed with its quote.
import { VERDICTS, checkCard, verdictBadge } from "./checks.js";
import { api, clear, el, exploreLink, exportLinks, getParam, iriLink, label, quoteBlock, setParams, setupPage, showError, t } from "./common.js";
import { chartsSpec, esc, newChart, seriesChart, seriesList } from "./datacharts.js";
import { fill } from "./i18n.js";

const app = document.getElementById("app");
const charts = [];
const PALETTE = ["#c0262d", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"];

function measure(s) { return label({ label: s.measure }) || label(s); }

function percent(s) { return s.unit === "share" ? Math.round(s.value * 10000) / 100 : s.value; }

function barChart(box, title, stats, value, { axisMax, markLine } = {}) {
  if (!stats.length) return;
  const node = el("div", { class: "chart", "data-chart": title });
  box.append(el("h3", {}, title), node);
  const chart = newChart(node);
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

async function viewRegionMap(box) {
  const [regions, geo] = await Promise.all([api("/api/view/regions"), api("/api/view/geo/china").catch(() => null)]);
  if (!geo) { box.append(el("p", { class: "muted" }, t("noMap"))); return; }
  echarts.registerMap("china-argraph", geo);
  const names = geo.features.map((f) => f.properties.name);
  const data = [];
  const division = regions.data.filter((r) => r.division);
  const shown = division.length ? division : regions.data;
  shown.forEach((r, i) => {
    for (const m of r.members) {
      const zh = (m.label.zh || "").replace(SUFFIX, "");
      const hit = names.find((n) => zh && (n.startsWith(zh) || zh.startsWith(n)));
      if (hit) data.push({ name: hit, value: i, region: label(r), province: label(m), id: r.id });
    }
  });
  const node = el("div", { class: "chart map", id: "map", "data-source": "view", "data-provinces": String(data.length) });
  box.append(node);
  const legendList = el("ul", { class: "items", id: "region-legend" }, shown.map((r) => el("li", { "data-region": r.id },
    exploreLink(r), iriLink(r.iri), `: ${r.members.map((m) => label(m)).join(", ")}`)));
  box.append(legendList);
  const chart = newChart(node);
  charts.push(chart);
  chart.setOption({
    tooltip: { formatter: (p) => (p.data ? `${esc(p.data.province)}<br>${esc(p.data.region)}` : esc(p.name)) },
    visualMap: { type: "piecewise", show: true, left: 0, bottom: 0,
      pieces: shown.map((r, i) => ({ value: i, label: label(r), color: PALETTE[i % PALETTE.length] })) },
    series: [{ type: "map", map: "china-argraph", roam: true, data, label: { show: false } }],
  });
  chart.on("click", (p) => { if (p.data) location.href = `/explore?node=${encodeURIComponent(p.data.id)}`; });
}


// A region's English label without its trailing note in brackets ("East (... division)").
function bare(en) { return (en || "").replace(/ \([^()]*\)$/, ""); }

function regionName(zh, en) {
  return label({ label: { zh, en: bare(en) } });
}

// The division from the data folder's boundaries, each province tagged with its region.
async function dataRegionMap(box) {
  const [regions, geo] = await Promise.all([api("/api/data/regions"), api("/api/data/regions.geojson")]);
  echarts.registerMap("china-regions", geo);
  const index = new Map(regions.map((r, i) => [r.id, i]));
  const data = geo.features.filter((f) => index.has(f.properties.region)).map((f) => ({
    name: f.properties.name, value: index.get(f.properties.region), id: f.properties.region,
    region: regionName(f.properties.region_zh, f.properties.region_en),
    province: label({ label: { zh: f.properties.name, en: f.properties.province_en } }),
  }));
  const node = el("div", { class: "chart map", id: "map", "data-source": "regions.geojson", "data-provinces": String(data.length) });
  box.append(node);
  box.append(el("ul", { class: "items region-legend", id: "region-legend" }, regions.map((r, i) => el("li", { "data-region": r.id },
    el("span", { class: "sw", style: `background:${PALETTE[i % PALETTE.length]}` }),
    el("strong", { lang: "zh" }, r.label.zh || ""), " / ", el("strong", { lang: "en" }, bare(r.label.en)),
    " ", exploreLink({ id: r.id, label: r.label }), `: ${r.provinces.map((p) => label(p)).join(", ")}`))));
  const chart = newChart(node);
  charts.push(chart);
  chart.setOption({
    tooltip: { formatter: (p) => (p.data ? `${esc(p.data.province)}<br>${esc(p.data.region)}` : esc(p.name)) },
    visualMap: { type: "piecewise", show: true, left: 0, bottom: 0,
      pieces: regions.map((r, i) => ({ value: i, label: regionName(r.label.zh, r.label.en), color: PALETTE[i % PALETTE.length] })) },
    series: [{ type: "map", map: "china-regions", roam: true, data, label: { show: false } }],
  });
  chart.on("click", (p) => { if (p.data) location.href = `/explore?node=${encodeURIComponent(p.data.id)}`; });
}

async function regionMap(box, status, spec) {
  box.append(el("h3", {}, spec.division ? label({ label: spec.division }) : t("mapTitle")));
  if (status && status.geojson) {
    try { await dataRegionMap(box); return; } catch (err) { box.append(el("p", { class: "muted" }, `${err.message || err}`)); }
  }
  await viewRegionMap(box);
}

// What is loaded, what is missing and how to load it; what no public data can check (declared by
// the paper's check file) is said once, in its own note.
function dataStatus(status, spec) {
  const never = new Set(spec.no_public_data.map((n) => n.source));
  const box = el("div", { id: "data-status", "data-loaded": String(status.loaded) });
  if (!status.loaded) {
    box.className = "note warn";
    box.setAttribute("role", "status");
    box.append(el("p", {}, el("strong", {}, t("dataNotLoaded"))));
  }
  const missing = status.sources.filter((s) => !s.loaded || s.missing_files.length);
  const msgs = el("ul", { class: "items", "data-role": "missing" });
  for (const s of status.sources) {
    if (never.has(s.id)) continue;
    if (!s.loaded) msgs.append(el("li", {}, el("strong", {}, `${label(s)}: `), t("notLoaded"), s.note ? el("span", { class: "muted" }, ` (${s.note})`) : null));
    if (s.loaded) for (const f of s.missing_files) msgs.append(el("li", {}, el("strong", {}, `${label(s)}: `), `${t("missingFile")} `, el("code", {}, f)));
  }
  if (!status.sources.length) msgs.append(el("li", {}, status.messages.join(" ")));
  if (!status.geojson) msgs.append(el("li", {}, t("noGeojson")));
  if (msgs.childNodes.length) box.append(msgs);
  if (!status.loaded || missing.some((s) => !never.has(s.id))) {
    box.append(el("p", { "data-role": "how" }, t("howToLoad"), " ", el("code", {}, "argraph build --data DIR"), " ", t("howToLoadDir")));
  }
  for (const n of spec.no_public_data) {
    box.append(el("p", { class: "note", id: `${n.check}-note`, "data-role": "no-public-data" },
      el("strong", {}, `${label({ label: n.label })}: `), n.note));
  }
  return box;
}

async function publicCharts(box, status, checks, spec) {
  box.append(el("h2", {}, t("publicSeries")));
  box.append(dataStatus(status, spec));
  if (!status.loaded) return;
  if (typeof echarts === "undefined") { box.append(el("p", { class: "error" }, t("noEcharts"))); return; }
  const have = new Set((await seriesList()).map((s) => s.id));
  const grid = el("div", { id: "series-charts", class: "chart-grid" });
  box.append(grid);
  const drawn = [];
  for (const id of spec.evidence) {
    if (!have.has(id)) { grid.append(el("p", { class: "note", "data-missing-series": id }, fill(t("seriesMissing"), { id }))); continue; }
    const how = spec.series.find((s) => s.series === id);
    const check = how && how.paper_check ? checks.find((c) => c.id === how.paper_check) : null;
    drawn.push(seriesChart(grid, id, { paperValue: check ? check.paper_value : null })
      .then((c) => { if (c) charts.push(c); }));
  }
  await Promise.all(drawn);
}

function checksSection(box, checks, names) {
  const section = el("section", { id: "checks" });
  section.append(el("h2", {}, `${t("checksTitle")} (${checks.length})`));
  section.append(el("p", { class: "muted" }, t("checksIntro")));
  const chosen = VERDICTS.includes(getParam("verdict")) ? getParam("verdict") : "";
  const rows = [];
  const bar = el("div", { class: "controls", role: "group", "aria-label": t("verdict") });
  const apply = (v) => {
    for (const b of bar.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b.dataset.filter === v));
    for (const r of rows) r.hidden = Boolean(v) && r.dataset.verdict !== v;
  };
  for (const v of ["", ...VERDICTS]) {
    const n = v ? checks.filter((c) => c.verdict === v).length : checks.length;
    bar.append(el("button", { type: "button", "data-filter": v, onclick: () => { setParams({ verdict: v || null }); apply(v); } },
      v ? verdictBadge(v, names[v]) : t("all"), ` ${n}`));
  }
  section.append(bar);
  const table = el("table", { class: "grid", id: "checks-table" });
  table.append(el("thead", {}, el("tr", {}, [t("verdict"), t("check"), t("checkedItems"), t("computed"), t("paperValue")]
    .map((h) => el("th", { scope: "col" }, h)))));
  const body = el("tbody");
  for (const c of checks) {
    const detail = el("details", {}, el("summary", {}, t("recipeInputs")), checkCard(c, { names: names[c.verdict], chart: false, heading: "div" }));
    const tr = el("tr", { "data-check": c.id, "data-verdict": c.verdict },
      el("td", {}, verdictBadge(c.verdict, names[c.verdict])),
      el("td", {}, el("strong", {}, c.label || c.id), el("div", { class: "muted" }, c.id), detail),
      el("td", {}, el("ul", { class: "items" }, [...c.statistics, ...c.claims].map((r) => el("li", {}, exploreLink(r))))),
      el("td", {}, c.computed_text || (c.computed ?? "-")),
      el("td", {}, c.paper_value ?? "-", c.unit && c.paper_value !== null ? el("span", { class: "muted" }, ` ${c.unit}`) : null));
    rows.push(tr);
    body.append(tr);
  }
  table.append(body);
  section.append(table);
  box.append(section);
  apply(chosen);
}

async function render() {
  try {
    const [stats, status, checks, verdicts, spec] = await Promise.all([
      api("/api/statistics?limit=1000").then((r) => r.data),
      api("/api/data/status"),
      api("/api/data/checks").then((r) => r.data),
      api("/api/view/verdicts").then((r) => r.data),
      chartsSpec(),
    ]);
    const names = Object.fromEntries(verdicts.filter((v) => v.kind === "check").map((v) => [v.key, v.label]));
    for (const c of charts.splice(0)) c.dispose();
    clear(app);
    const pub = el("section", { id: "public-data" });
    app.append(pub);
    await publicCharts(pub, status, checks, spec);
    const box = el("section", { id: "charts" });
    app.append(box);
    box.append(el("h2", {}, t("textStats")));
    if (typeof echarts === "undefined") {
      box.append(el("p", { class: "error" }, t("noEcharts")));
    } else {
      const inArea = (s, id) => s.area.some((a) => a.id === id);
      for (const c of spec.statistics) {
        barChart(box, label({ label: c.title }), stats.filter((s) => c.units.includes(s.unit)
          && (!c.section || s.section === c.section) && (!c.area || inArea(s, c.area))),
        c.units.some((u) => u === "percent" || u === "share") ? percent : (s) => s.value,
        { axisMax: c.axis_max ?? undefined,
          markLine: c.mark !== null ? { symbol: "none", data: [{ xAxis: c.mark }], lineStyle: { color: "#333" } } : undefined });
      }
      await regionMap(box, status, spec);
    }
    checksSection(app, checks, names);
    const table = el("table", { class: "grid", id: "statistics" });
    table.append(el("thead", {}, el("tr", {}, [t("kind.statistic"), t("value"), t("unit"), t("period"), t("areas"), t("quote")]
      .map((h) => el("th", { scope: "col" }, h)))));
    table.append(el("tbody", {}, stats.map((s) => el("tr", { "data-stat": s.id },
      el("td", {}, exploreLink({ ...s, label: s.measure.en || s.measure.zh ? s.measure : s.label })),
      el("td", {}, s.value_text || String(s.value)), el("td", { "data-role": "unit" }, s.unit ? t(`unit.${s.unit}`) : ""), el("td", {}, s.period || ""),
      el("td", {}, s.area.map((a) => label(a)).join(", ")),
      el("td", {}, s.quote ? quoteBlock(s.quote, (s.label && s.label.en) || (s.measure && s.measure.en)) : "")))));
    app.append(el("h2", {}, t("otherStats")), el("div", { class: "table-wrap" }, table));
    app.dataset.ready = "true";
  } catch (err) { showError(app, err); }
}

setupPage(() => render());
