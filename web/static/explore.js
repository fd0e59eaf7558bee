// The first screen and the graph explorer. By default the paper's main argument drawn small
// (root cause -> mechanism -> vicious cycle -> outcome, rival explanations above, policies below,
// laid out by the server); "show everything" draws the whole graph with filters. Selecting a node
// focuses it: its neighbourhood lit, the rest faded, the view zoomed to it; the URL keeps node,
// depth, zoom and language, so the same URL reopens the same view.
import {
  api, arrowKeys, clear, el, exportLinks, getParam, kindBadge, label, lang, setParams, setupPage, showError, t,
} from "./common.js";
import { renderDetail } from "./detail.js";
import { GraphView, download, legend } from "./graph.js";
import { fill } from "./i18n.js";

const KINDS = ["factor", "thesis", "claim", "policy", "statistic", "evidence", "explanation", "reference", "entity"];
const ROLES = ["root", "mechanism", "cycle", "loop", "outcome", "rival", "rival-factor", "policy"];
const EXPORTS = ["aif", "argdown", "graphml", "cytoscape", "cld", "claims-csv", "claims-md"];
const app = document.getElementById("app");
const embedded = (() => {
  const node = document.getElementById("page-data");
  try { return node ? JSON.parse(node.textContent) : {}; } catch (e) { return {}; }
})();
let meta = null;
let view = null;
let panel = null;
let data = null;
let loadedKey = null;
let opened = null;

function state() {
  const depth = Number(getParam("depth") || 1);
  const zoom = getParam("zoom");
  const [scale, x, y] = (zoom || "").split(",").map(Number);
  return {
    view: getParam("view") === "all" || getParam("kinds") || getParam("section") || getParam("explanation") ? "all" : "argument",
    node: getParam("node"),
    depth: depth === 2 ? 2 : 1,
    zoom: zoom && Number.isFinite(scale) && scale > 0 ? { scale, x, y } : null,
    kinds: (getParam("kinds") || "factor").split(",").filter((k) => KINDS.includes(k)),
    section: getParam("section") || "",
    explanation: getParam("explanation") || "",
  };
}

async function openItem(id, { push = true, zoom = null } = {}) {
  const s = state();
  if (push) setParams({ node: id, zoom: null, lang: lang() }, true);
  opened = id;
  try {
    const hood = await api(`/api/view/neighbourhood/${encodeURIComponent(id)}?depth=${s.depth}`);
    if (opened !== id) return;
    view.showHood(hood);
    if (panel.hidden) { panel.hidden = false; view.resize(); }
    const centre = view.has(id) ? id : hood.focus;
    const lit = hood.edges.filter((e) => e.id === id || e.from === centre || e.to === centre).map((e) => e.id);
    view.focus(centre || id, hood.nodes.map((n) => n.id), lit, zoom);
    // Without a zoom the view was fitted to the neighbourhood: a zoom the reader made while it
    // was loading no longer holds, so the URL must not keep it (a shared link would open there).
    if (!zoom) setParams({ zoom: null });
    view.container.dataset.depth = String(s.depth);
    nodeList();
    const item = await api(`/api/view/item/${encodeURIComponent(id)}`);
    if (opened !== id) return;
    renderDetail(panel, item, (next) => openItem(next));
  } catch (err) {
    clear(panel);
    panel.hidden = false;
    showError(panel, err);
  }
}

function closeItem() {
  opened = null;
  setParams({ node: null, zoom: null }, true);
  view.unfocus();
  clear(panel).append(el("p", { class: "muted" }, t("pickNode")));
  panel.hidden = true;
  view.resize();
  view.fit();
  nodeList();
}

function filters(s) {
  const bar = el("div", { class: "controls", id: "filters" });
  const kinds = el("fieldset", {}, el("legend", {}, t("show")));
  for (const k of KINDS) {
    const box = el("input", { type: "checkbox", value: k, id: `kind-${k}`, checked: s.kinds.includes(k) });
    box.addEventListener("change", () => {
      const picked = [...kinds.querySelectorAll("input:checked")].map((i) => i.value);
      setParams({ view: "all", kinds: picked.join(",") || "factor" }, true);
      render(false);
    });
    kinds.append(el("label", { for: `kind-${k}` }, box, t(`kind.${k}`)), " ");
  }
  bar.append(kinds);
  const sec = el("select", { id: "filter-section" },
    el("option", { value: "" }, `${t("section")}: ${t("all")}`),
    meta.sections.map((x) => el("option", { value: x.id, selected: x.id === s.section }, label(x))));
  sec.addEventListener("change", () => { setParams({ view: "all", section: sec.value, explanation: null }, true); render(false); });
  const exp = el("select", { id: "filter-explanation" },
    el("option", { value: "" }, `${t("explanation")}: ${t("all")}`),
    meta.explanations.map((x) => el("option", { value: x.id, selected: x.id === s.explanation }, label(x))));
  exp.addEventListener("change", () => { setParams({ view: "all", explanation: exp.value, section: null }, true); render(false); });
  bar.append(el("label", { for: "filter-section", class: "sr-only" }, t("section")), sec,
    el("label", { for: "filter-explanation", class: "sr-only" }, t("explanation")), exp);
  return bar;
}

function toolbar(s) {
  const bar = el("div", { class: "controls toolbar", id: "toolbar" });
  const toggle = el("div", { role: "group", "aria-label": t("viewLabel"), class: "seg" },
    el("button", { type: "button", id: "view-argument", "aria-pressed": String(s.view === "argument"), onclick: () => {
      setParams({ view: null, kinds: null, section: null, explanation: null, node: null, zoom: null }, true);
      render(false);
    } }, t("theArgument")),
    el("button", { type: "button", id: "show-all", "aria-pressed": String(s.view === "all"), onclick: () => {
      setParams({ view: "all", node: null, zoom: null }, true);
      render(false);
    } }, t("showAll")));
  const depth = el("select", { id: "depth" }, [1, 2].map((d) => el("option", { value: d, selected: d === s.depth }, fill(t("depthN"), { n: d }))));
  depth.addEventListener("change", () => {
    setParams({ depth: depth.value === "1" ? null : depth.value, zoom: null });
    if (getParam("node")) openItem(getParam("node"), { push: false });
  });
  const status = el("span", { id: "copy-status", class: "muted", role: "status" });
  const copy = el("button", { type: "button", id: "copy-link", onclick: async () => {
    setParams({ lang: lang() });
    const href = location.href;
    let ok = false;
    try { await navigator.clipboard.writeText(href); ok = true; } catch (e) { ok = false; }
    status.dataset.href = href;
    status.textContent = ok ? t("copied") : `${t("copyThis")} ${href}`;
  } }, t("copyLink"));
  const png = el("button", { type: "button", id: "export-png", onclick: () => download("argraph-view.png", view.png()) }, "PNG");
  const svg = el("button", { type: "button", id: "export-svg", onclick: () => {
    const url = URL.createObjectURL(new Blob([view.svg()], { type: "image/svg+xml" }));
    download("argraph-view.svg", url);
    setTimeout(() => URL.revokeObjectURL(url), 5000);
  } }, "SVG");
  bar.append(toggle,
    el("label", { for: "depth" }, `${t("depth")} `), depth,
    el("button", { type: "button", id: "fit", onclick: () => view.fit() }, t("fit")),
    copy, el("span", { class: "muted" }, t("exportView")), png, svg, status);
  return bar;
}

function roleOf(n) { return (data.roles && data.roles[n.id]) || null; }

// The nodes of the view as a list: a text alternative to the canvas, reachable by keyboard.
function nodeList() {
  const box = document.getElementById("node-list");
  if (!box || !view) return;
  const lit = view.focused ? new Set(view.focused.nodes) : null;
  const groups = new Map();
  for (const n of view.raw.nodes.values()) {
    const key = roleOf(n) ? `role.${roleOf(n)}` : `kind.${n.kind}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(n);
  }
  const order = (k) => { const r = ROLES.indexOf(k.replace("role.", "")); return k.startsWith("role.") ? r : 50 + KINDS.indexOf(k.replace("kind.", "")); };
  const pos = view.positions();
  clear(box).append(el("h2", { id: "node-list-title" }, `${t("nodeList")} (${view.raw.nodes.size})`),
    el("p", { class: "muted" }, t("nodeListHint")));
  let first = true;
  for (const key of [...groups.keys()].sort((a, b) => order(a) - order(b))) {
    const ul = el("ul", { class: "items nodes", "data-group": key });
    const members = groups.get(key).sort((a, b) => ((pos[a.id] || {}).x - (pos[b.id] || {}).x) || a.id.localeCompare(b.id));
    for (const n of members) {
      const current = opened && (n.id === opened);
      const btn = el("button", { type: "button", class: "linkish", "data-item": n.id, tabindex: first ? "0" : "-1",
        "aria-current": current ? "true" : null, onclick: () => openItem(n.id) }, view._text(n));
      first = false;
      ul.append(el("li", { class: lit && !lit.has(n.id) ? "faded" : "" }, kindBadge(n.kind), btn));
    }
    box.append(el("h3", {}, t(key)), ul);
  }
}

function addLegend(payload) {
  const kinds = new Set(payload.nodes.map((n) => n.kind));
  const rels = new Set(payload.edges.map((e) => (e.kind === "link" ? e.polarity : e.kind)));
  const box = legend({
    nodes: payload.legend.nodes.filter((n) => kinds.has(n.kind)),
    edges: payload.legend.edges.filter((e) => rels.has(e.kind)),
  });
  box.id = "legend";
  return box;
}

async function render(langOnly) {
  const s = state();
  const key = JSON.stringify([s.view, s.kinds, s.section, s.explanation]);
  let wholeGraph = null;
  if (s.view === "all" && !(langOnly && view) && (key !== loadedKey || !view)) {  // the whole graph and the filters' choices at once
    const params = new URLSearchParams({ kinds: s.kinds.join(",") });
    if (s.section) params.set("section", s.section);
    if (s.explanation) params.set("explanation", s.explanation);
    [wholeGraph, meta] = await Promise.all([api(`/api/view/network?${params}`), meta || api("/api/view/meta")]);
  }
  if (langOnly && view) {
    app.replaceChild(toolbar(s), document.getElementById("toolbar"));
    const oldFilters = document.getElementById("filters");
    if (oldFilters) app.replaceChild(filters(s), oldFilters);
    app.replaceChild(addLegend(data), document.getElementById("legend"));
    view.relabel();
    nodeList();
    if (s.node) openItem(s.node, { push: false, zoom: view.view() });
    else clear(panel).append(el("p", { class: "muted" }, t("pickNode")));
    return;
  }
  if (key === loadedKey && view) {
    if (s.node) openItem(s.node, { push: false, zoom: s.zoom });
    else if (view.focused) closeItem();
    return;
  }
  clear(app);
  const graphBox = el("div", { class: "graph", id: "graph", role: "img", "aria-label": t("graphLabel"), "aria-describedby": "node-list-title", tabindex: "0" });
  panel = el("aside", { class: "panel", id: "detail", "aria-live": "polite", "aria-label": t("detailLabel"), hidden: !s.node },
    el("p", { class: "muted" }, t("pickNode")));
  app.append(toolbar(s));
  if (s.view === "all") app.append(filters(s));
  if (s.view === "argument" && embedded.argument) {
    data = embedded.argument;
  } else if (s.view === "argument") {
    data = await api("/api/view/argument");
  } else {
    data = wholeGraph;
  }
  const note = el("p", { class: "note", id: "truncated", hidden: !data.truncated },
    data.truncated ? fill(t("truncated"), { n: data.nodes.length, total: data.total }) : "");
  app.append(addLegend(data), note, el("div", { class: "row" }, graphBox, panel),
    el("section", { id: "node-list", class: "node-list", "aria-labelledby": "node-list-title" }));
  exportLinks(EXPORTS).then((box) => app.append(box));
  view = new GraphView(graphBox, {
    onSelect: ({ node, edge }) => {
      if (node) openItem(node);
      else if (edge) {
        const raw = view.raw.edges.get(edge);
        openItem(raw && raw.kind === "link" ? raw.id : (raw && raw.via_link) || edge.split(":")[1]);
      }
    },
    boxes: true,
    growLabels: false,
    onView: (v) => { if (v && getParam("node")) setParams({ zoom: `${v.scale},${v.x},${v.y}` }); },
  });
  view.set(data);
  graphBox.dataset.view = s.view;
  window.__argraph = { view };
  loadedKey = key;
  arrowKeys(document.getElementById("node-list"));
  graphBox.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && opened) closeItem();
  });
  nodeList();
  if (s.node) openItem(s.node, { push: false, zoom: s.zoom });
}

document.addEventListener("argraph:close", () => { if (view && opened) closeItem(); });

document.addEventListener("argraph:open", (ev) => {
  if (view) openItem(ev.detail.id);
});

setupPage((langOnly) => render(langOnly).catch((err) => showError(app, err)));
