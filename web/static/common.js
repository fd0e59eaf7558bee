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

export async function api(path) {
  const res = await fetch(path, { headers: { Accept: "application/json" } });
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
  if (!l) return url;
  return url + (url.includes("?") ? "&" : "?") + "lang=" + l;
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
  for (const b of document.querySelectorAll("[data-lang]")) {
    b.setAttribute("aria-pressed", String(b.dataset.lang === lang()));
  }
  updateNavLinks();
}

// Call once per page: wires the language switch and re-renders on change.
export function setupPage(render) {
  applyStaticText();
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
