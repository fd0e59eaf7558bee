// A vis-network view over payloads from /api/view/network and /api/view/neighbourhood.
import { el, label, lang, t } from "./common.js";

function tooltip(text) {
  // vis-network shows an Element as is; a text node keeps data from being read as HTML.
  const box = el("div", { class: "tip" });
  box.textContent = text;
  return box;
}

// Node labels are drawn in canvas units, so zooming out shrinks them until vis-network hides them.
// Grow the font as the view zooms out (up to MAX_FONT) so that labels stay readable on screen.
const BASE_FONT = 14;
const MAX_FONT = 36;

export function labelSize(scale) {
  const wanted = BASE_FONT / Math.max(scale || 1, 0.01);
  return Math.round(Math.min(Math.max(wanted, BASE_FONT), MAX_FONT) / 2) * 2;
}

export class GraphView {
  constructor(container, { onSelect } = {}) {
    this.nodes = new vis.DataSet();
    this.edges = new vis.DataSet();
    this.raw = { nodes: new Map(), edges: new Map() };
    this.options = null;
    this.network = null;
    this.container = container;
    this.onSelect = onSelect || (() => {});
    this.highlighted = null;
  }

  _node(n) {
    const text = lang() === "zh" ? n.label_zh : n.label_en;
    const short = text.length > 28 ? text.slice(0, 27) + "…" : text;
    return { ...n, label: short, title: tooltip(`${text}\n[${t("kind." + n.kind)}]`) };
  }

  _edge(e) {
    const extra = e.kind === "link"
      ? { title: tooltip(`${lang() === "zh" ? e.label_zh || "" : e.label_en || ""}\n${e.quote || ""}`) }
      : { label: undefined, title: tooltip(t("rel." + e.kind + ".out")) };
    return { ...e, ...extra, arrows: "to", font: { size: 14, strokeWidth: 3 } };
  }

  _ensure(options) {
    if (this.network) return;
    this.options = {
      ...options,
      nodes: { ...(options.nodes || {}),
        font: { size: BASE_FONT, strokeWidth: 3, strokeColor: "#ffffff" },
        scaling: { label: { drawThreshold: 4, maxVisible: 48 } } },
    };
    this.fontSize = BASE_FONT;
    this.network = new vis.Network(this.container, { nodes: this.nodes, edges: this.edges }, this.options);
    let pending = false;
    const readable = () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; this.readableLabels(); });
    };
    this.network.on("zoom", readable);
    this.network.on("afterDrawing", readable);
    this.network.on("click", (params) => {
      if (params.nodes.length) this.onSelect({ node: params.nodes[0] });
      else if (params.edges.length) this.onSelect({ edge: params.edges[0] });
    });
    const settled = () => {
      this.network.setOptions({ physics: { enabled: false } });
      this.container.dataset.ready = "true";
    };
    this.network.on("stabilizationIterationsDone", settled);
    this.network.on("stabilized", settled);
  }

  // Match the label font to the zoom (see labelSize); the size in use is in data-font-size.
  readableLabels() {
    if (!this.network) return;
    const size = labelSize(this.network.getScale());
    if (size === this.fontSize) return;
    this.fontSize = size;
    this.network.setOptions({ nodes: { font: { size } } });
    this.container.dataset.fontSize = String(size);
  }

  set(payload) {
    this.raw = { nodes: new Map(), edges: new Map() };
    this.nodes.clear();
    this.edges.clear();
    this.merge(payload);
  }

  merge(payload) {
    this.container.dataset.ready = "false";
    for (const n of payload.nodes) this.raw.nodes.set(n.id, n);
    for (const e of payload.edges) this.raw.edges.set(e.id, e);
    this.nodes.update(payload.nodes.map((n) => this._node(n)));
    this.edges.update(payload.edges.map((e) => this._edge(e)));
    this._ensure(payload.options);
    this.network.setOptions({ physics: { enabled: true } });
    this.network.stabilize(200);
    this.container.dataset.nodes = String(this.nodes.length);
  }

  relabel() {
    this.nodes.update([...this.raw.nodes.values()].map((n) => this._node(n)));
    this.edges.update([...this.raw.edges.values()].map((e) => this._edge(e)));
  }

  has(id) { return this.raw.nodes.has(id); }

  select(id) {
    if (!this.network || !this.has(id)) return;
    this.network.selectNodes([id]);
    this.network.focus(id, { scale: 1.0, animation: false });
  }

  // Light up the given nodes and edges; dim the rest. null clears.
  highlight(nodeIds, edgeIds) {
    const nodes = nodeIds ? new Set(nodeIds) : null;
    const edges = edgeIds ? new Set(edgeIds) : null;
    this.highlighted = nodes;
    this.nodes.update([...this.raw.nodes.values()].map((n) => ({
      id: n.id,
      opacity: !nodes || nodes.has(n.id) ? 1 : 0.18,
      borderWidth: nodes && nodes.has(n.id) ? 3 : 1,
    })));
    this.edges.update([...this.raw.edges.values()].map((e) => ({
      id: e.id,
      hidden: false,
      width: edges && edges.has(e.id) ? 5 : e.width,
      color: !edges || edges.has(e.id) ? e.color : "#e4e4e4",
    })));
  }

  fit() { if (this.network) this.network.fit(); }
}

export function legend(spec) {
  const box = el("div", { class: "legend", "aria-label": "legend" });
  for (const n of spec.nodes) {
    box.append(el("span", {}, el("span", { class: "sw", style: `background:${n.color};border-radius:${n.shape === "ellipse" || n.shape === "dot" ? "50%" : "2px"}` }), t(`kind.${n.kind}`)));
  }
  for (const e of spec.edges) {
    if (e.kind === "other") continue;
    const name = e.kind === "increases" || e.kind === "decreases" ? t(`pol.${e.kind}`) : t(`edge.${e.kind}`);
    box.append(el("span", {}, el("span", { class: `ln${e.dashes ? " dash" : ""}`, style: `border-color:${e.color}` }), name));
  }
  box.append(el("span", {}, el("span", { class: "ln dash", style: "border-color:#555" }), t("edge.inferred")));
  return box;
}

export function refName(ref) { return label(ref); }
