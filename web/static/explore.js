// The graph explorer: filters, search, the network, and the detail panel of the selected item.
import { api, clear, el, getParam, kindBadge, label, setParams, setupPage, showError, t } from "./common.js";
import { renderDetail } from "./detail.js";
import { GraphView, legend } from "./graph.js";
import { fill } from "./i18n.js";

const KINDS = ["factor", "thesis", "claim", "policy", "statistic", "evidence", "explanation", "reference", "entity"];
const app = document.getElementById("app");
let meta = null;
let view = null;
let panel = null;
let note = null;
let loadedKey = null;

function state() {
  return {
    node: getParam("node"),
    kinds: (getParam("kinds") || "factor").split(",").filter((k) => KINDS.includes(k)),
    section: getParam("section") || "",
    explanation: getParam("explanation") || "",
  };
}

async function openItem(id, push = true) {
  if (push) setParams({ node: id }, true);
  try {
    if (!view.has(id)) {
      const hood = await api(`/api/view/neighbourhood/${encodeURIComponent(id)}`);
      view.merge(hood);
      if (hood.focus && hood.focus !== id) view.select(hood.focus);
    }
    view.select(id);
    const item = await api(`/api/view/item/${encodeURIComponent(id)}`);
    renderDetail(panel, item, (next) => openItem(next));
  } catch (err) {
    clear(panel);
    showError(panel, err);
  }
}

async function expand() {
  const id = getParam("node");
  if (!id) return;
  const hood = await api(`/api/view/neighbourhood/${encodeURIComponent(id)}?depth=1`);
  view.merge(hood);
  view.select(id);
}

function controls(s) {
  const bar = el("div", { class: "controls" });
  const kinds = el("fieldset", {}, el("legend", {}, t("show")));
  for (const k of KINDS) {
    const box = el("input", { type: "checkbox", value: k, id: `kind-${k}`, checked: s.kinds.includes(k) });
    box.addEventListener("change", () => {
      const picked = [...kinds.querySelectorAll("input:checked")].map((i) => i.value);
      setParams({ kinds: picked.join(",") || "factor" }, true);
      render(false);
    });
    kinds.append(el("label", { for: `kind-${k}` }, box, t(`kind.${k}`)), " ");
  }
  bar.append(kinds);

  const sec = el("select", { id: "filter-section", "aria-label": t("section") },
    el("option", { value: "" }, `${t("section")}: ${t("all")}`),
    meta.sections.map((x) => el("option", { value: x.id, selected: x.id === s.section }, label(x))));
  sec.addEventListener("change", () => { setParams({ section: sec.value, explanation: null }, true); render(false); });
  const exp = el("select", { id: "filter-explanation", "aria-label": t("explanation") },
    el("option", { value: "" }, `${t("explanation")}: ${t("all")}`),
    meta.explanations.map((x) => el("option", { value: x.id, selected: x.id === s.explanation }, label(x))));
  exp.addEventListener("change", () => { setParams({ explanation: exp.value, section: null }, true); render(false); });
  bar.append(sec, exp);

  const search = el("div", { class: "search" });
  const input = el("input", { type: "search", id: "search", placeholder: t("search"), "aria-label": t("searchLabel"), autocomplete: "off" });
  const results = el("ul", { class: "results", id: "search-results", hidden: true });
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      clear(results);
      if (!q) { results.hidden = true; return; }
      const found = await api(`/api/view/search?q=${encodeURIComponent(q)}`);
      for (const hit of found.data) {
        results.append(el("li", {}, el("button", { type: "button", "data-item": hit.id, onclick: () => {
          results.hidden = true;
          openItem(hit.id);
        } }, kindBadge(hit.kind), label(hit))));
      }
      results.hidden = found.data.length === 0;
    }, 200);
  });
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") { const first = results.querySelector("button"); if (first) first.click(); }
    if (ev.key === "ArrowDown") { const first = results.querySelector("button"); if (first) first.focus(); }
    if (ev.key === "Escape") results.hidden = true;
  });
  search.append(input, results);
  bar.append(search);
  bar.append(el("button", { type: "button", id: "expand", onclick: expand }, t("expand")));
  bar.append(el("button", { type: "button", id: "reset", onclick: () => {
    setParams({ node: null, section: null, explanation: null, kinds: null }, true);
    render(false);
  } }, t("reset")));
  bar.append(el("button", { type: "button", onclick: () => view.fit() }, t("fit")));
  return bar;
}

async function render(langOnly) {
  const s = state();
  if (!meta) meta = await api("/api/view/meta");
  const key = JSON.stringify([s.kinds, s.section, s.explanation]);
  if (langOnly && view) {
    app.replaceChild(controls(s), app.firstChild);
    view.relabel();
    if (s.node) openItem(s.node, false);
    return;
  }
  if (key === loadedKey && view) {
    if (s.node) openItem(s.node, false);
    return;
  }
  clear(app);
  const graphBox = el("div", { class: "graph", id: "graph", role: "application", "aria-label": "network", tabindex: "0" });
  panel = el("aside", { class: "panel", id: "detail", "aria-live": "polite" }, el("p", { class: "muted" }, t("pickNode")));
  note = el("p", { class: "note", id: "truncated", hidden: true });
  app.append(controls(s));
  const params = new URLSearchParams({ kinds: s.kinds.join(",") });
  if (s.section) params.set("section", s.section);
  if (s.explanation) params.set("explanation", s.explanation);
  const data = await api(`/api/view/network?${params}`);
  app.append(legend(data.legend), note, el("div", { class: "row" }, graphBox, panel));
  view = new GraphView(graphBox, {
    onSelect: ({ node, edge }) => {
      if (node) openItem(node);
      else if (edge) {
        const raw = view.raw.edges.get(edge);
        openItem(raw && raw.kind === "link" ? raw.id : (raw && raw.via_link) || edge.split(":")[1]);
      }
    },
  });
  view.set(data);
  window.__argraph = { view };
  loadedKey = key;
  if (data.truncated) {
    note.hidden = false;
    note.textContent = fill(t("truncated"), { n: data.nodes.length, total: data.total });
  }
  if (s.node) openItem(s.node, false);
}

setupPage((langOnly) => render(langOnly).catch((err) => showError(app, err)));
