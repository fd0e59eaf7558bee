// The reader: the paper's text (served only from the configured source path) as passages, every
// anchored span highlighted. A click opens the item's detail in a side panel on this page; the
// highlights have a legend and a filter by kind; each passage has its own link (#c<offset>);
// Back closes the panel or returns to the previous item, and the place in the text is kept.
// Where spans overlap, a highlight opens its narrowest visible item and the panel lists every
// other item anchored at that place, so an item whose span lies under narrower ones still opens.
import { api, clear, el, getParam, kindBadge, label, lang, setParams, setupPage, showError, t, withLang } from "./common.js";
import { renderDetail } from "./detail.js";

const app = document.getElementById("app");
const HIDDEN = "argraph.reader.hidden";
let data = null;
let panel = null;
let opened = null;

history.scrollRestoration = "manual";

function tip(items) {
  return items.map((id) => {
    const it = data.items[id] || { kind: "other", label: {} };
    const other = lang() === "zh" ? it.label.en : it.label.zh;
    return `${t("kind." + it.kind)}: ${label(it) || id}${other && other !== label(it) ? ` · ${other}` : ""}`;
  }).join("\n");
}

function hiddenKinds() {
  try { return new Set(JSON.parse(sessionStorage.getItem(HIDDEN) || "[]")); } catch (e) { return new Set(); }
}

function kindOf(id) {
  return (data.items[id] || {}).kind || "other";
}

// A highlight stands for the narrowest of its items whose kind is shown; hidden when none is.
function applyFilter(text) {
  const hidden = hiddenKinds();
  for (const a of text.querySelectorAll("a.span")) {
    const shown = a.dataset.items.split(" ").filter((id) => !hidden.has(kindOf(id)));
    a.classList.toggle("hide", shown.length === 0);
    const first = shown[0] || a.dataset.items.split(" ")[0];
    a.classList.remove(`k-${a.dataset.kind}`);
    a.dataset.item = first;
    a.dataset.kind = kindOf(first);
    a.classList.add(`k-${a.dataset.kind}`);
    a.setAttribute("href", `?item=${encodeURIComponent(first)}#${a.dataset.passage}`);
  }
}

function legendBox(text) {
  const counts = new Map();
  for (const a of text.querySelectorAll("a.span")) {
    for (const kind of new Set(a.dataset.items.split(" ").map(kindOf))) counts.set(kind, (counts.get(kind) || 0) + 1);
  }
  const hidden = hiddenKinds();
  const box = el("fieldset", { class: "reader-legend", id: "reader-legend" }, el("legend", {}, t("readerFilter")));
  for (const [kind, n] of [...counts.entries()].sort((a, b) => b[1] - a[1])) {
    const id = `hl-${kind}`;
    const input = el("input", { type: "checkbox", id, value: kind, checked: !hidden.has(kind) });
    input.addEventListener("change", () => {
      const now = hiddenKinds();
      if (input.checked) now.delete(kind); else now.add(kind);
      sessionStorage.setItem(HIDDEN, JSON.stringify([...now]));
      applyFilter(text);
    });
    box.append(el("label", { for: id }, input, el("span", { class: `sw span k-${kind}` }), `${t("kind." + kind)} (${n})`));
  }
  return box;
}

function passage(block) {
  const tag = block.level ? `h${Math.min(block.level + 1, 4)}` : "p";
  const node = el(tag, { id: block.id, class: block.level ? "h" : "para" });
  for (const piece of block.pieces) {
    let part;
    if (piece.items) {
      const first = piece.items[0];
      const kind = kindOf(first);
      part = el("a", { class: `span k-${kind}`, href: `?item=${encodeURIComponent(first)}#${block.id}`,
        title: tip(piece.items), "data-item": first, "data-items": piece.items.join(" "), "data-kind": kind,
        "data-passage": block.id }, piece.text);
    } else {
      part = document.createTextNode(piece.text);
    }
    if (piece.bold) part = el("strong", {}, part);
    if (piece.sup) part = el("sup", {}, part);
    node.append(part);
  }
  node.append(el("a", { class: "para-link", href: `#${block.id}`, title: t("passageLink"), "aria-label": t("passageLink") }, "¶"));
  return node;
}

// Every item anchored at the clicked place (narrowest first), the open one marked: a span
// under narrower spans is reached from here.
function hereBox(id, here) {
  const box = el("nav", { id: "here-too", class: "here-too", "aria-label": t("hereToo") },
    el("h3", {}, `${t("hereToo")} (${here.length})`));
  const ul = el("ul", { class: "items" });
  for (const other of here) {
    const it = data.items[other] || { kind: "other", label: {} };
    ul.append(el("li", {}, kindBadge(it.kind),
      el("button", { type: "button", class: "linkish", "data-item": other, "aria-current": other === id ? "true" : null,
        onclick: () => { if (other !== id) { pushItem(other, location.hash, here); openItem(other, here); } } },
      label(it) || other)));
  }
  box.append(ul);
  return box;
}

async function openItem(id, here = []) {
  opened = id;
  for (const a of document.querySelectorAll("#reader a.span[aria-current]")) a.removeAttribute("aria-current");
  for (const a of document.querySelectorAll(`#reader a.span[data-items~="${CSS.escape(id)}"]`)) a.setAttribute("aria-current", "true");
  panel.hidden = false;
  try {
    const item = await api(`/api/view/item/${encodeURIComponent(id)}`);
    if (opened !== id) return;
    renderDetail(panel, item, (next) => { pushItem(next); openItem(next); });
    // right under the item's name: the other items of the place are one click away
    if (here.length > 1) panel.insertBefore(hereBox(id, here), panel.querySelector(".other-lang")?.nextSibling || null);
    panel.append(el("p", {}, el("a", { href: withLang(`/explore?node=${encodeURIComponent(id)}`), id: "open-in-graph" }, t("openFull"))));
  } catch (err) { clear(panel); showError(panel, err); }
}

function closePanel() {
  opened = null;
  panel.hidden = true;
  clear(panel);
  for (const a of document.querySelectorAll("#reader a.span[aria-current]")) a.removeAttribute("aria-current");
}

function pushItem(id, hash = location.hash, here = []) {
  const params = new URLSearchParams(location.search);
  params.set("item", id);
  history.pushState({ scrollY: window.scrollY, here }, "", `${location.pathname}?${params}${hash || ""}`);
}

function fromUrl() {
  const id = getParam("item");
  const here = (history.state && history.state.here) || [];
  if (id) { if (id !== opened) openItem(id, here.includes(id) ? here : []); } else if (opened) closePanel();
}

async function render(langOnly) {
  try {
    if (!data) data = await api("/api/view/reader");
    const y = window.scrollY;
    clear(app);
    if (!data.available) { app.append(el("p", { class: "note", id: "no-reader" }, t("noReader"))); return; }
    app.append(el("p", {}, t("readerIntro")));
    const text = el("article", { class: "reader", id: "reader", lang: "zh" });
    for (const block of data.blocks) text.append(passage(block));
    panel = el("aside", { class: "panel", id: "detail", "aria-live": "polite", "aria-label": t("detailLabel"), hidden: true });
    app.append(legendBox(text), el("div", { class: "reader-wrap" }, text, el("div", { class: "reader-side" }, panel)));
    applyFilter(text);
    text.addEventListener("click", (ev) => {
      const a = ev.target.closest("a.span");
      if (!a) return;
      ev.preventDefault();
      history.replaceState({ ...(history.state || {}), scrollY: window.scrollY }, "", location.href);
      const hidden = hiddenKinds();
      const here = a.dataset.items.split(" ").filter((id) => !hidden.has(kindOf(id)));
      pushItem(a.dataset.item, `#${a.dataset.passage}`, here);
      openItem(a.dataset.item, here);
    });
    if (langOnly) { window.scrollTo(0, y); if (opened) { const id = opened; const here = (history.state && history.state.here) || []; opened = null; openItem(id, here.includes(id) ? here : []); } return; }
    fromUrl();
    const saved = history.state && history.state.scrollY;
    if (typeof saved === "number") window.scrollTo(0, saved);
    else if (location.hash) { const target = document.getElementById(location.hash.slice(1)); if (target) target.scrollIntoView(); }
  } catch (err) { showError(app, err); }
}

let timer = null;
window.addEventListener("scroll", () => {
  clearTimeout(timer);
  timer = setTimeout(() => history.replaceState({ ...(history.state || {}), scrollY: window.scrollY }, "", location.href), 150);
});
document.addEventListener("argraph:close", () => { if (opened) { setParams({ item: null }, true); closePanel(); } });

// setupPage re-renders on popstate too: only the panel follows the URL then, the text stays.
let first = true;
setupPage((langOnly) => {
  if (first || langOnly) { first = false; return render(langOnly); }
  fromUrl();
  const saved = history.state && history.state.scrollY;
  if (typeof saved === "number") window.scrollTo(0, saved);
  return null;
});
