// The rival explanations side by side (/api/explanations/compare), each factor clickable.
import { api, clear, el, exploreLink, exportLinks, iriLink, label, quoteBlock, setupPage, showError, t, withLang } from "./common.js";
import { fill } from "./i18n.js";

const app = document.getElementById("app");

function place(p) {
  const bits = [];
  if (!p.in_model) bits.push(t("notInModel"));
  if (p.is_root) bits.push(t("rootFactor"));
  else if (p.distance_from_root !== null && p.distance_from_root !== undefined) {
    bits.push(fill(t("distRoot"), { n: p.distance_from_root }));
  }
  if (p.on_decline_path) bits.push(t("onPath"));
  if (p.distance_to_outcome !== null && p.distance_to_outcome !== undefined) {
    bits.push(fill(t("toOutcome"), { n: p.distance_to_outcome }));
  }
  return bits.join("; ");
}

// The paper's verdicts (arg:Verdict individuals) with their labels @zh/@en from the graph.
let verdicts = null;

function verdictText(e) {
  const v = verdicts && verdicts.get(e.verdict);
  return (v && label(v)) || e.verdict_label || e.verdict || "";
}

async function render() {
  try {
    const [data, found] = await Promise.all([api("/api/explanations/compare"),
      verdicts ? null : api("/api/view/verdicts").catch(() => ({ data: [] }))]);
    if (found) verdicts = new Map(found.data.filter((v) => v.kind === "explanation").map((v) => [v.id, v]));
    const claimIds = data.explanations.map((r) => r.explanation.verdict_claim).filter(Boolean).map((i) => i.split("/").pop());
    const english = new Map();
    if (claimIds.length) {
      const labels = await api(`/api/view/labels?ids=${encodeURIComponent(claimIds.join(","))}`).catch(() => ({ data: [] }));
      for (const r of labels.data) english.set(r.id, r.label.en);
    }
    clear(app);
    app.append(el("p", {}, t("compareIntro")));
    const table = el("table", { class: "grid", id: "compare" });
    table.append(el("thead", {}, el("tr", {},
      ["familyCol", "positsCol", "placeCol", "verdictCol", "refsCol"].map((k) => el("th", { scope: "col" }, t(k))))));
    const body = el("tbody");
    for (const r of data.explanations) {
      const e = r.explanation;
      const own = e.verdict === "OwnMechanism" || e.verdict === "Accepted";
      const tr = el("tr", { class: own ? "own" : "", "data-explanation": e.id });
      tr.append(el("th", { scope: "row" },
        el("a", { href: withLang(`/explore?explanation=${encodeURIComponent(e.id)}&kinds=factor,explanation,claim`) }, label(e)),
        iriLink(e.iri), el("div", { class: "muted" }, e.family || ""),
        own ? el("div", { class: "badge increases" }, t("ownModel")) : null));
      const posits = el("ul", { class: "items" });
      const places = el("ul", { class: "items" });
      for (const p of r.factors) {
        posits.append(el("li", {}, exploreLink(p.factor)));
        places.append(el("li", {}, el("strong", {}, `${label(p.factor)}: `), place(p),
          p.chain_from_root ? el("div", { class: "muted" },
            p.chain_from_root.factors.map((f) => label(f)).join(" → ")) : null));
      }
      if (r.subsumed) places.append(el("li", { class: "muted" }, t("subsumed")));
      tr.append(el("td", {}, posits), el("td", {}, places));
      tr.append(el("td", {}, el("strong", { "data-role": "verdict", "data-verdict": e.verdict || "" }, verdictText(e)),
        e.verdict_quote ? quoteBlock(e.verdict_quote, e.verdict_claim ? english.get(e.verdict_claim.split("/").pop()) : null) : null,
        e.verdict_claim ? el("a", { href: withLang(`/explore?node=${encodeURIComponent(e.verdict_claim.split("/").pop())}`) }, t("openInGraph")) : null));
      tr.append(el("td", {}, el("ul", { class: "items" },
        e.references.map((ref) => el("li", {}, `[${ref.number ?? "?"}] `, ref.label || "", iriLink(ref.iri))))));
      body.append(tr);
    }
    table.append(body);
    app.append(el("div", { class: "table-wrap" }, table));
    app.append(await exportLinks(["comparison-csv", "comparison-md"]));
  } catch (err) { showError(app, err); }
}

setupPage(() => render());
