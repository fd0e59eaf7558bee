// Chain explorer (cause -> effect, every path lit up with its polarity and quotes) and the
// vicious cycle drawn as a reinforcing loop.
import { api, clear, el, exploreLink, exportLinks, getParam, iriLink, label, lang, polarityBadge, quoteBlock, setParams, setupPage, showError, t, withLang } from "./common.js";
import { GraphView, legend } from "./graph.js";
import { fill } from "./i18n.js";

const app = document.getElementById("app");
let meta = null;
let view = null;

function factorSelect(id, chosen, roots) {
  const rootIds = new Set(roots.map((r) => r.id));
  const sel = el("select", { id, "aria-label": t(id === "from" ? "cause" : "effect") });
  const byLabel = (a, b) => label(a).localeCompare(label(b));
  sel.append(el("optgroup", { label: t("roots") },
    [...roots].sort(byLabel).map((f) => el("option", { value: f.id, selected: f.id === chosen }, label(f)))));
  sel.append(el("optgroup", { label: t("kind.factor") },
    meta.factors.filter((f) => !rootIds.has(f.id)).sort(byLabel)
      .map((f) => el("option", { value: f.id, selected: f.id === chosen }, label(f)))));
  return sel;
}

function stepList(links) {
  const ol = el("ol", { class: "items" });
  for (const link of links) {
    const cause = meta.factors.find((f) => f.iri === link.cause) || { id: link.cause };
    const effect = meta.factors.find((f) => f.iri === link.effect) || { id: link.effect };
    ol.append(el("li", { class: "step", "data-link": link.id },
      exploreLink(cause), " → ", exploreLink(effect), " ", polarityBadge(link.polarity),
      link.basis === "inferred" ? el("span", { class: "badge" }, t("edge.inferred")) : null,
      el("a", { href: withLang(`/explore?node=${encodeURIComponent(link.id)}`), class: "iri" }, t("openInGraph")),
      link.quote ? quoteBlock(link.quote, (link.label && link.label.en) || link.mechanism) : null));
  }
  return ol;
}

function lightUp(chains) {
  const nodes = new Set();
  const edges = new Set();
  for (const c of chains) {
    for (const f of c.factors) nodes.add(f.id);
    for (const l of c.links) edges.add(l.id);
  }
  view.highlight([...nodes], [...edges]);
  if (view.network && nodes.size) view.network.fit({ nodes: [...nodes].filter((n) => view.has(n)), animation: false });
}

async function runChains(box, from, to, max) {
  clear(box);
  if (!from || !to) { box.append(el("p", {}, t("pathPick"))); return; }
  let found;
  try {
    found = await api(`/api/chains?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&max_length=${max}`);
  } catch (err) { showError(box, err); return; }
  box.dataset.count = String(found.count);
  box.append(el("h2", {}, `${t("chains")} (${found.count})`));
  if (!found.count) { box.append(el("p", {}, t("noChains"))); view.highlight(null, null); return; }
  lightUp(found.data);
  found.data.forEach((c, i) => {
    const head = el("button", { type: "button", class: "linkish" },
      fill(t("chainOf"), { i: i + 1, n: c.length, p: "" }));
    const card = el("section", { class: "chain", "data-chain": String(i + 1) },
      el("div", {}, head, " ", polarityBadge(c.polarity)), stepList(c.links));
    head.addEventListener("click", () => {
      for (const other of box.querySelectorAll(".chain")) other.removeAttribute("aria-current");
      card.setAttribute("aria-current", "true");
      lightUp([c]);
    });
    box.append(card);
  });
}

function loopCard(loop, focus) {
  const card = el("section", { class: "card", id: `loop-${loop.id}`, "data-loop": loop.id });
  card.append(el("h3", {}, label(loop), iriLink(loop.iri)));
  card.append(el("p", {}, el("span", { class: `badge ${loop.kind === "reinforcing" ? "decreases" : "increases"}`, "data-role": "loop-kind" },
    t(loop.kind)), ` ${loop.links.length} ${t("links")}, ${loop.negative_links} (−)`));
  if (loop.quote) card.append(quoteBlock(loop.quote, loop.label && loop.label.en));
  const canvas = el("div", { class: "loopview" });
  card.append(canvas);
  card.append(el("button", { type: "button", onclick: () => {
    setParams({ loop: loop.id }, true);
    view.highlight(loop.links.flatMap((l) => [l.cause.id, l.effect.id]), loop.links.map((l) => l.id));
    document.getElementById("graph").scrollIntoView();
  } }, t("openCycle")));
  card.append(stepList(loop.links.map((l) => ({ ...l, cause: l.cause.iri, effect: l.effect.iri }))));
  // The loop as a circle, in order, with a reinforcing (R) / balancing (B) mark in the middle.
  const n = loop.links.length;
  const r = 170;
  const nodes = loop.links.map((l, i) => ({
    id: l.cause.id, label: wrap(label(l.cause)), x: r * Math.sin((2 * Math.PI * i) / n),
    y: -r * Math.cos((2 * Math.PI * i) / n), shape: "box", color: "#cfe3ff", fixed: true,
  }));
  nodes.push({ id: "__mark", label: loop.kind === "reinforcing" ? "R ↻" : "B ↻", x: 0, y: 0, fixed: true,
    shape: "circle", color: "#ffe08a", font: { size: 26 } });
  const edges = loop.links.map((l) => ({
    id: l.id, from: l.cause.id, to: l.effect.id, arrows: "to", label: l.polarity === 1 ? "+" : "−",
    color: l.polarity === 1 ? "#1a8a3a" : "#c0262d", width: 3, smooth: { type: "curvedCW", roundness: 0.25 },
    font: { size: 20, strokeWidth: 4 },
  }));
  setTimeout(() => {
    const net = new vis.Network(canvas, { nodes, edges }, { physics: false, interaction: { dragNodes: false, zoomView: false } });
    net.fit();
    if (focus) card.scrollIntoView();
  }, 0);
  return card;
}

function wrap(text) {
  const max = 16;
  const out = [];
  for (let i = 0; i < text.length; i += max) out.push(text.slice(i, i + max));
  return out.slice(0, 3).join("\n");
}

async function render() {
  try {
    meta = meta || await api("/api/view/meta");
    clear(app);
    const from = getParam("from") || ((meta.paper_roots || [])[0] || meta.roots[0] || {}).id;
    const to = getParam("to") || (meta.decline || {}).id;
    const max = Number(getParam("max") || 8);
    const fromSel = factorSelect("from", from, meta.roots);
    const toSel = factorSelect("to", to, []);
    const maxIn = el("input", { type: "number", id: "max", min: 1, max: 12, value: max, "aria-label": t("maxLength"), style: "width:4em" });
    const results = el("div", { id: "chains", class: "panel" });
    const run = el("button", { type: "button", id: "run", onclick: () => {
      setParams({ from: fromSel.value, to: toSel.value, max: maxIn.value, loop: null }, true);
      runChains(results, fromSel.value, toSel.value, maxIn.value);
    } }, t("run"));
    app.append(el("div", { class: "controls" },
      el("label", {}, `${t("cause")} `, fromSel), el("label", {}, `${t("effect")} `, toSel),
      el("label", {}, `${t("maxLength")} `, maxIn), run));
    const graphBox = el("div", { class: "graph", id: "graph" });
    const data = await api("/api/view/network?kinds=factor");
    const kinds = new Set(data.nodes.map((n) => n.kind));
    const rels = new Set(data.edges.map((e) => (e.kind === "link" ? e.polarity : e.kind)));
    app.append(legend({ nodes: data.legend.nodes.filter((n) => kinds.has(n.kind)), edges: data.legend.edges.filter((e) => rels.has(e.kind)) }),
      el("div", { class: "row" }, graphBox, results));
    view = new GraphView(graphBox, { onSelect: ({ node, edge }) => {
      location.href = withLang(`/explore?node=${encodeURIComponent(node || edge)}`);
    } });
    view.set(data);
    window.__argraph = { view };
    const cycle = el("section", { id: "cycle" }, el("h2", {}, t("cycle")), el("p", {}, t("cycleIntro")));
    app.append(cycle);
    const loops = await api("/api/view/loops");
    const cards = el("div", { class: "cards" });
    const focus = getParam("loop");
    for (const loop of loops.data) cards.append(loopCard(loop, loop.id === focus));
    cycle.append(cards);
    app.append(await exportLinks(["cld", "graphml", "cytoscape"]));
    if (focus) {
      const loop = loops.data.find((l) => l.id === focus);
      if (loop) view.highlight(loop.links.flatMap((l) => [l.cause.id, l.effect.id]), loop.links.map((l) => l.id));
    } else {
      await runChains(results, from, to, max);
    }
  } catch (err) { showError(app, err); }
}

setupPage(() => render());
