// Shared helpers: language, URL state, DOM building (text only, never innerHTML), API calls.
import { STRINGS } from "./i18n.js";

export function getParam(name) {
  return new URLSearchParams(location.search).get(name);
}

// Put the state in the URL (shareable) without reloading.
export function setParams(values, push = false) {
  const params = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(values)) {
    if (v === null || v === undefined || v === "") params.delete(k);
    else params.set(k, v);
  }
  const url = `${location.pathname}${params.toString() ? "?" + params : ""}`;
  (push ? history.pushState : history.replaceState).call(history, null, "", url);
  updateNavLinks();
}

export function lang() {
  const fromUrl = getParam("lang");
  if (fromUrl === "zh" || fromUrl === "en") return fromUrl;
  const stored = localStorage.getItem("argraph.lang");
  return stored === "zh" ? "zh" : "en";
}

export function t(key) {
  const table = STRINGS[lang()];
  return (table && table[key]) || STRINGS.en[key] || key;
}

// The label of a ref ({label: {zh, en}} or {zh, en}) in the current language, else the other.
export function label(ref, which = lang()) {
  if (!ref) return "";
  const l = ref.label || ref;
  const other = which === "zh" ? "en" : "zh";
  return l[which] || l[other] || ref.id || "";
}

export function otherLabel(ref) {
  return label(ref, lang() === "zh" ? "en" : "zh");
}

// Build an element. Children: strings become text nodes; null/false are skipped.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

// The paper the page speaks of (`?paper=`; none: the server's first paper) goes with every call
// to the API and every link between pages.
export function withPaper(url) {
  const p = getParam("paper");
  const [path, hash] = url.split("#", 2);
  if (!p || /[?&]paper=/.test(path)) return url;
  const out = path + (path.includes("?") ? "&" : "?") + "paper=" + encodeURIComponent(p);
  return hash === undefined ? out : `${out}#${hash}`;
}

export async function api(path) {
  const url = path.startsWith("/api/") ? withPaper(path) : path;
  const res = await fetch(url, { headers: { Accept: "application/json" } });
  if (!res.ok) {
    let message = `${res.status}`;
    try { message = (await res.json()).error.message; } catch (e) { /* keep status */ }
    throw new Error(message);
  }
  return res.json();
}

// Where an item's IRI is served by this app (/id/...), or the IRI itself.
export function iriHref(iri) {
  const base = document.body.dataset.baseIri || "";
  if (base && iri && iri.startsWith(base)) return "/" + iri.slice(base.length);
  return iri;
}

export function iriLink(iri) {
  return el("a", { class: "iri", href: iriHref(iri), title: iri }, "IRI");
}

// A link that opens the item in the graph explorer.
export function exploreLink(ref) {
  const a = el("a", { href: withLang(`/explore?node=${encodeURIComponent(ref.id)}`) }, label(ref));
  a.dataset.item = ref.id;
  return a;
}

export function withLang(url) {
  const l = getParam("lang");
  const own = url.startsWith("/") ? withPaper(url) : url;
  if (!l) return own;
  return own + (own.includes("?") ? "&" : "?") + "lang=" + l;
}

export function kindBadge(kind) {
  return el("span", { class: `badge k-${kind}` }, t(`kind.${kind}`));
}

export function polarityBadge(p) {
  const pos = p === 1 || p === "increases";
  return el("span", { class: `badge ${pos ? "increases" : "decreases"}` },
    pos ? t("pol.increases") : t("pol.decreases"));
}

function updateNavLinks() {
  for (const a of document.querySelectorAll("[data-page-link]")) {
    a.href = withLang(`/${a.dataset.pageLink}`);
  }
}

function applyStaticText() {
  document.documentElement.lang = lang() === "zh" ? "zh-CN" : "en";
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-placeholder]")) node.placeholder = t(node.dataset.i18nPlaceholder);
  // text given in both languages by the page (the paper's title, authors, abstract)
  for (const node of document.querySelectorAll("[data-zh][data-en]")) {
    const other = lang() === "zh" ? node.dataset.en : node.dataset.zh;
    node.textContent = (lang() === "zh" ? node.dataset.zh : node.dataset.en) || other;
  }
  const h1 = document.getElementById("page-title");
  if (h1) document.title = `${h1.textContent} · argraph`;
  for (const b of document.querySelectorAll("[data-lang]")) {
    b.setAttribute("aria-pressed", String(b.dataset.lang === lang()));
  }
  updateNavLinks();
}

// Call once per page: wires the language switch, the search box and re-renders on change.
export function setupPage(render) {
  applyStaticText();
  setupSearch();
  const more = document.getElementById("summary-more");
  if (more) {
    more.addEventListener("click", () => {
      const open = more.getAttribute("aria-expanded") !== "true";
      more.setAttribute("aria-expanded", String(open));
      document.getElementById("summary").classList.toggle("open", open);
      more.textContent = t(open ? "less" : "more");
    });
  }
  for (const b of document.querySelectorAll("[data-lang]")) {
    b.addEventListener("click", () => {
      localStorage.setItem("argraph.lang", b.dataset.lang);
      setParams({ lang: b.dataset.lang });
      applyStaticText();
      render(true);
    });
  }
  window.addEventListener("popstate", () => render(false));
  render(false);
}

export function showError(container, err) {
  container.append(el("p", { class: "error", role: "alert" }, `${t("error")}: ${err.message || err}`));
}

// Load a classic script once (same origin, so the content security policy allows it).
const loading = new Map();
export function loadScript(src) {
  if (!loading.has(src)) {
    loading.set(src, new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = src;
      s.onload = () => resolve();
      s.onerror = () => reject(new Error(`could not load ${src}`));
      document.head.append(s);
    }));
  }
  return loading.get(src);
}

// A quote from the paper with its English rendering beside it (the item's English text); the
// reader's language first.
export function quoteBlock(quote, english, attrs = {}) {
  const zh = el("blockquote", { class: "quote", lang: "zh", "data-role": "quote", ...attrs }, quote);
  const en = english ? el("p", { class: "quote-en", lang: "en", "data-role": "quote-en" }, english) : null;
  const box = el("div", { class: "bi" });
  if (lang() === "zh") box.append(zh, en || "");
  else box.append(en || "", zh);
  return box;
}

// The English text of a ref (its label), for beside a quote.
export function englishOf(ref) {
  if (!ref) return null;
  const l = ref.label || ref;
  return l.en || ref.mechanism || null;
}

// Links to the graph's exports (/api/export/...) that apply to a page.
export async function exportLinks(names) {
  const box = el("details", { class: "exports", id: "exports" }, el("summary", {}, t("download")));
  try {
    const found = await api("/api/export");
    const ul = el("ul", { class: "items" });
    for (const f of found.data) {
      if (!names.includes(f.format)) continue;
      ul.append(el("li", {}, el("a", { href: f.href, download: "", "data-export": f.format }, f.description)));
    }
    box.append(ul);
  } catch (err) { showError(box, err); }
  return box;
}

// The search box in the header (every page): typo-tolerant search on the server; arrow keys move
// through the results, Enter opens one. The explorer opens it in place, other pages go there.
function setupSearch() {
  const input = document.getElementById("search");
  const results = document.getElementById("search-results");
  if (!input || !results) return;
  let timer = null;
  let seq = 0;
  const close = () => { results.hidden = true; input.setAttribute("aria-expanded", "false"); };
  const open = (id) => {
    close();
    if (document.body.dataset.page === "explore") {
      document.dispatchEvent(new CustomEvent("argraph:open", { detail: { id } }));
    } else {
      location.href = withLang(`/explore?node=${encodeURIComponent(id)}`);
    }
  };
  const buttons = () => [...results.querySelectorAll("button")];
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      const mine = ++seq;
      if (!q) { clear(results); close(); return; }
      let found;
      try { found = await api(`/api/view/search?q=${encodeURIComponent(q)}`); } catch (err) { return; }
      if (mine !== seq) return;
      clear(results);
      for (const hit of found.data) {
        results.append(el("li", { role: "option" }, el("button", { type: "button", "data-item": hit.id, tabindex: "-1",
          onclick: () => open(hit.id) }, kindBadge(hit.kind), label(hit),
          otherLabel(hit) && otherLabel(hit) !== label(hit) ? el("span", { class: "muted" }, ` · ${otherLabel(hit)}`) : null)));
      }
      if (!found.data.length) results.append(el("li", { class: "muted", "data-role": "no-hits" }, t("noHits")));
      results.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }, 180);
  });
  const move = (ev, from) => {
    const list = buttons();
    if (!list.length) return;
    const i = list.indexOf(from);
    let next = null;
    if (ev.key === "ArrowDown") next = list[Math.min(i + 1, list.length - 1)];
    else if (ev.key === "ArrowUp") next = i <= 0 ? input : list[i - 1];
    else if (ev.key === "Home") next = list[0];
    else if (ev.key === "End") next = list[list.length - 1];
    if (next) { ev.preventDefault(); next.focus(); }
  };
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") { const first = buttons()[0]; if (first) { ev.preventDefault(); first.click(); } }
    else if (ev.key === "Escape") close();
    else if (ev.key === "ArrowDown") { const first = buttons()[0]; if (first) { ev.preventDefault(); first.focus(); } }
  });
  results.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") { close(); input.focus(); return; }
    move(ev, document.activeElement);
  });
  document.addEventListener("click", (ev) => { if (!ev.target.closest(".search")) close(); });
}

// Roving focus over a list of buttons: arrow keys move, Home/End jump (a listbox-like list).
export function arrowKeys(container, selector = "button") {
  container.addEventListener("keydown", (ev) => {
    const list = [...container.querySelectorAll(selector)].filter((b) => b.offsetParent !== null);
    const i = list.indexOf(document.activeElement);
    if (i < 0) return;
    let next = null;
    if (ev.key === "ArrowDown" || ev.key === "ArrowRight") next = list[Math.min(i + 1, list.length - 1)];
    else if (ev.key === "ArrowUp" || ev.key === "ArrowLeft") next = list[Math.max(i - 1, 0)];
    else if (ev.key === "Home") next = list[0];
    else if (ev.key === "End") next = list[list.length - 1];
    if (next) {
      ev.preventDefault();
      for (const b of list) b.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    }
  });
}
