// A vis-network view over payloads from /api/view/argument, /network and /neighbourhood. Nodes
// come placed by the server (web/layout.py), physics stays off: the same picture on every load.
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
const FADED = "rgba(150,150,150,0.18)";
const FADED_TEXT = "rgba(60,60,60,0.16)";

export function labelSize(scale) {
  const wanted = BASE_FONT / Math.max(scale || 1, 0.01);
  return Math.round(Math.min(Math.max(wanted, BASE_FONT), MAX_FONT) / 2) * 2;
}

export class GraphView {
  constructor(container, { onSelect, onView, boxes = true, growLabels = false } = {}) {
    this.boxes = boxes;
    this.growLabels = growLabels;
    this.nodes = new vis.DataSet();
    this.edges = new vis.DataSet();
    this.raw = { nodes: new Map(), edges: new Map() };
    this.network = null;
    this.container = container;
    this.onSelect = onSelect || (() => {});
    this.onView = onView || (() => {});
    this.highlighted = null;
    this.focused = null;
  }

  _text(n) { return (lang() === "zh" ? n.label_zh : n.label_en) || n.label_en || n.label_zh || n.id; }

  _node(n) {
    const text = this._text(n);
    const short = text.length > 48 ? text.slice(0, 47) + "…" : text;
    const other = lang() === "zh" ? n.label_en : n.label_zh;
    if (n.kind === "loop") {  // a loop is marked R (reinforcing) or B (balancing), named in its tooltip
      return { ...n, label: `${n.loop_kind === "balancing" ? "B" : "R"} ↻`, shape: "circle",
        title: tooltip(`${text}${other && other !== text ? "\n" + other : ""}\n[${t("kind.loop")}]`),
        font: { size: 20, color: "#1d1d1f", strokeWidth: 0 } };
    }
    const shape = this.boxes ? "box" : n.shape;
    return {
      ...n, shape, label: short, title: tooltip(`${text}${other && other !== text ? "\n" + other : ""}\n[${t("kind." + n.kind)}]`),
      widthConstraint: shape === "box" || shape === "ellipse" ? { maximum: 130 } : undefined,
      font: { color: "#1d1d1f", strokeWidth: 3, strokeColor: "#ffffff" },
    };
  }

  _edge(e) {
    const extra = e.kind === "link"
      ? { title: tooltip(`${lang() === "zh" ? e.label_zh || e.label_en || "" : e.label_en || e.label_zh || ""}\n${e.quote || ""}`) }
      : { label: undefined, title: tooltip(t("rel." + e.kind + ".out")) };
    return { ...e, ...extra, arrows: "to", font: { size: 14, strokeWidth: 3 } };
  }

  _ensure(options) {
    if (this.network) return;
    this.options = {
      ...options,
      physics: { enabled: false },
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
    this.network.on("zoom", () => { readable(); this.onView(this.view()); });
    this.network.on("dragEnd", () => this.onView(this.view()));
    this.network.on("afterDrawing", readable);
    this.network.on("click", (params) => {
      if (params.nodes.length) this.onSelect({ node: params.nodes[0] });
      else if (params.edges.length) this.onSelect({ edge: params.edges[0] });
    });
  }

  view() {
    if (!this.network) return null;
    const p = this.network.getViewPosition();
    return { scale: Math.round(this.network.getScale() * 100) / 100, x: Math.round(p.x), y: Math.round(p.y) };
  }

  // Match the label font to the zoom (see labelSize); the size in use is in data-font-size.
  readableLabels() {
    if (!this.network || !this.growLabels) return;
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
    this.focused = null;
    this.base = new Set(payload.nodes.map((n) => n.id));
    this.merge(payload);
    this.network.fit({ animation: false });
  }

  merge(payload) {
    const fresh = payload.nodes.filter((n) => !this.raw.nodes.has(n.id));
    for (const n of fresh) this.raw.nodes.set(n.id, n);
    for (const e of payload.edges) this.raw.edges.set(e.id, e);
    this.nodes.update(fresh.map((n) => this._node(n)));
    this.edges.update(payload.edges.map((e) => this._edge(e)));
    this._ensure(payload.options);
    this.container.dataset.nodes = String(this.nodes.length);
    this.container.dataset.ready = "true";
  }

  // Back to the base drawing: nodes brought in by a neighbourhood go, moved nodes go home.
  _restore() {
    const gone = [...this.raw.nodes.keys()].filter((id) => !this.base.has(id));
    for (const id of gone) this.raw.nodes.delete(id);
    this.nodes.remove(gone);
    const dead = [...this.raw.edges.values()].filter((e) => !this.raw.nodes.has(e.from) || !this.raw.nodes.has(e.to)).map((e) => e.id);
    for (const id of dead) this.raw.edges.delete(id);
    this.edges.remove(dead);
    this.nodes.update([...this.raw.nodes.values()].map((n) => ({ id: n.id, x: n.x, y: n.y })));
  }

  // Show a neighbourhood (a payload laid out by the server around `hood.focus`) over the base
  // drawing: its nodes take the server's places, moved so that the focus stays where it was.
  showHood(hood) {
    this._restore();
    const anchor = hood.focus;
    const there = hood.nodes.find((n) => n.id === anchor);
    const here = anchor && this.raw.nodes.get(anchor);
    const dx = here && there ? here.x - there.x : 0;
    const dy = here && there ? here.y - there.y : 0;
    const placed = hood.nodes.map((n) => ({ ...n, x: n.x + dx, y: n.y + dy }));
    const fresh = placed.filter((n) => !this.raw.nodes.has(n.id));
    for (const n of fresh) this.raw.nodes.set(n.id, n);
    for (const e of hood.edges) this.raw.edges.set(e.id, e);
    this.nodes.update(fresh.map((n) => this._node(n)));
    this.nodes.update(placed.map((n) => ({ id: n.id, x: n.x, y: n.y })));
    this.edges.update(hood.edges.map((e) => this._edge(e)));
    this.container.dataset.nodes = String(this.nodes.length);
  }

  relabel() {
    this.nodes.update([...this.raw.nodes.values()].map((n) => this._node(n)));
    this.edges.update([...this.raw.edges.values()].map((e) => this._edge(e)));
    if (this.focused) this.focus(this.focused.id, this.focused.nodes, this.focused.edges, null);
    else if (this.highlighted) this.highlight([...this.highlighted], this.highlightedEdges ? [...this.highlightedEdges] : null);
  }

  has(id) { return this.raw.nodes.has(id); }

  positions() { return this.network ? this.network.getPositions() : {}; }

  // Focus: the node and its neighbourhood lit, the rest (nodes, labels, edges) faded; the view
  // zoomed to the neighbourhood, or to `zoom` ({scale, x, y}) when the URL gives one.
  focus(id, nodeIds, edgeIds, zoom) {
    if (!this.network) return;
    const keep = new Set(nodeIds.filter((n) => this.raw.nodes.has(n)));
    if (this.raw.nodes.has(id)) keep.add(id);
    const lit = new Set(edgeIds || []);
    this.focused = { id, nodes: [...keep], edges: [...lit] };
    this.nodes.update([...this.raw.nodes.values()].map((n) => {
      const on = keep.has(n.id);
      return {
        id: n.id, opacity: on ? 1 : 0.15, borderWidth: n.id === id ? 4 : 1,
        font: on ? { color: "#1d1d1f", strokeWidth: 3, strokeColor: "#ffffff" } : { color: FADED_TEXT, strokeWidth: 0 },
      };
    }));
    this.edges.update([...this.raw.edges.values()].map((e) => {
      const inside = keep.has(e.from) && keep.has(e.to);
      return { id: e.id, width: lit.has(e.id) ? 5 : e.width, color: inside ? e.color : FADED,
        font: { size: 14, strokeWidth: 3, color: inside ? "#333" : FADED_TEXT } };
    }));
    this.container.dataset.focus = id;
    this.container.dataset.lit = String(keep.size);
    if (this.raw.nodes.has(id)) this.network.selectNodes([id]);
    if (zoom && zoom.scale) {
      const at = Number.isFinite(zoom.x) && Number.isFinite(zoom.y)
        ? { x: zoom.x, y: zoom.y } : this.network.getPositions([id])[id];
      this.network.moveTo({ position: at, scale: zoom.scale, animation: false });
    } else {
      this.network.fit({ nodes: [...keep], animation: false });
      if (this.network.getScale() > 1.4) this.network.moveTo({ scale: 1.4, animation: false });
    }
  }

  unfocus() {
    this.focused = null;
    this._restore();
    this.container.dataset.nodes = String(this.nodes.length);
    delete this.container.dataset.focus;
    this.highlight(null, null);
    if (this.network) this.network.unselectAll();
  }

  // Light up the given nodes and edges; dim the rest. null clears.
  highlight(nodeIds, edgeIds) {
    const nodes = nodeIds ? new Set(nodeIds) : null;
    const edges = edgeIds ? new Set(edgeIds) : null;
    this.highlighted = nodes;
    this.highlightedEdges = edges;
    this.nodes.update([...this.raw.nodes.values()].map((n) => ({
      id: n.id,
      opacity: !nodes || nodes.has(n.id) ? 1 : 0.15,
      borderWidth: nodes && nodes.has(n.id) ? 3 : 1,
      font: !nodes || nodes.has(n.id) ? { color: "#1d1d1f", strokeWidth: 3, strokeColor: "#ffffff" } : { color: FADED_TEXT, strokeWidth: 0 },
    })));
    this.edges.update([...this.raw.edges.values()].map((e) => ({
      id: e.id,
      hidden: false,
      width: edges && edges.has(e.id) ? 5 : e.width,
      color: !edges || edges.has(e.id) ? e.color : "#e4e4e4",
    })));
  }

  // The container changed size (the detail panel opened or closed): size the canvas to it.
  resize() { if (this.network) { this.network.setSize("100%", "100%"); this.network.redraw(); } }

  fit() { if (this.network) this.network.fit({ animation: false }); }

  // The view as a PNG (the canvas on a white ground).
  png() {
    const canvas = this.container.querySelector("canvas");
    const out = document.createElement("canvas");
    out.width = canvas.width;
    out.height = canvas.height;
    const ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    return out.toDataURL("image/png");
  }

  // The view as SVG, drawn from the node positions and edges (text escaped by the serializer).
  svg() {
    const NS = "http://www.w3.org/2000/svg";
    const pos = this.network.getPositions();
    const ids = Object.keys(pos);
    const xs = ids.map((i) => pos[i].x);
    const ys = ids.map((i) => pos[i].y);
    const pad = 90;
    const minX = Math.min(...xs) - pad, minY = Math.min(...ys) - pad;
    const w = Math.max(...xs) - minX + pad, h = Math.max(...ys) - minY + pad;
    const doc = document.implementation.createDocument(NS, "svg", null);
    const svg = doc.documentElement;
    const mk = (tag, attrs, text) => {
      const node = doc.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
      if (text) node.textContent = text;
      return node;
    };
    svg.setAttribute("viewBox", `${minX} ${minY} ${w} ${h}`);
    svg.setAttribute("width", String(Math.round(w)));
    svg.setAttribute("height", String(Math.round(h)));
    svg.setAttribute("font-family", "sans-serif");
    const defs = mk("defs", {});
    const marker = mk("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
    marker.append(mk("path", { d: "M0,0 L10,5 L0,10 z", fill: "#555" }));
    defs.append(marker);
    svg.append(defs, mk("rect", { x: minX, y: minY, width: w, height: h, fill: "#ffffff" }));
    const faded = (id) => this.focused && !this.focused.nodes.includes(id);
    for (const e of this.raw.edges.values()) {
      const a = pos[e.from], b = pos[e.to];
      if (!a || !b) continue;
      const dxy = Math.hypot(b.x - a.x, b.y - a.y) || 1;
      const cut = 28 / dxy;
      svg.append(mk("line", { class: "edge", "data-id": e.id, x1: a.x, y1: a.y, x2: b.x - (b.x - a.x) * cut, y2: b.y - (b.y - a.y) * cut,
        stroke: typeof e.color === "string" ? e.color : "#888", "stroke-width": e.width || 1, "marker-end": "url(#arrow)",
        "stroke-dasharray": e.dashes ? "6 4" : "none", opacity: faded(e.from) || faded(e.to) ? 0.2 : 1 }));
    }
    for (const id of ids) {
      const n = this.raw.nodes.get(id);
      if (!n) continue;
      const p = pos[id];
      const g = mk("g", { class: "node", "data-id": id, opacity: faded(id) ? 0.2 : 1 });
      g.append(mk("ellipse", { cx: p.x, cy: p.y, rx: 62, ry: 22, fill: n.color || "#ddd", stroke: "#555" }));
      const text = this._text(n);
      const lines = [];
      for (let i = 0; i < text.length && lines.length < 3; i += lang() === "zh" ? 9 : 18) lines.push(text.slice(i, i + (lang() === "zh" ? 9 : 18)));
      lines.forEach((line, k) => g.append(mk("text", { x: p.x, y: p.y + (k - (lines.length - 1) / 2) * 13 + 4, "text-anchor": "middle", "font-size": 11 }, line)));
      svg.append(g);
    }
    return new XMLSerializer().serializeToString(doc);
  }
}

export function legend(spec) {
  const box = el("div", { class: "legend", "aria-label": t("legend") });
  for (const n of spec.nodes) {
    box.append(el("span", {}, el("span", { class: "sw", style: `background:${n.color};border-radius:${n.shape === "ellipse" || n.shape === "dot" || n.shape === "circle" ? "50%" : "2px"}` }), t(`kind.${n.kind}`)));
  }
  for (const e of spec.edges) {
    if (e.kind === "other") continue;
    const name = e.kind === "increases" || e.kind === "decreases" ? t(`pol.${e.kind}`) : t(`edge.${e.kind}`);
    box.append(el("span", {}, el("span", { class: `ln${e.dashes ? " dash" : ""}`, style: `border-color:${e.color}` }), name));
  }
  box.append(el("span", {}, el("span", { class: "ln dash", style: "border-color:#555" }), t("edge.inferred")));
  return box;
}

// Save a data URL or text as a file.
export function download(name, href) {
  const a = el("a", { href, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
}

export function refName(ref) { return label(ref); }
