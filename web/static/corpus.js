// The corpus page: the loaded papers side by side, who posits, accepts, qualifies or rejects each
// explanation (with the quotes), the factors aligned across papers, and the chains and loops that
// run through several papers (/api/corpus/...). The URL keeps the chosen chain (from, to).
import { api, clear, el, getParam, iriLink, label, lang, polarityBadge, quoteBlock, setParams, setupPage, showError, t } from "./common.js";
import { STRINGS, fill } from "./i18n.js";

// This page's strings, added to the viewer's tables (its own file owns them).
Object.assign(STRINGS.en, {
  "corpus.papers": "Papers", "corpus.paper": "Paper", "corpus.factors": "Factors", "corpus.links": "Causal links",
  "corpus.explanations": "Explanations", "corpus.alignmentsMade": "Alignments made", "corpus.stancesTaken": "Stances taken",
  "corpus.whoSays": "Who says what about each explanation",
  "corpus.whoSaysIntro": "Each row is an explanation; each column a paper. A paper's stance toward its own explanations is its verdict; toward another paper's, the stance it takes in its own words.",
  "corpus.explanation": "Explanation", "corpus.from": "put forward by", "corpus.posits": "its factors",
  "stance.posits": "posits", "stance.accepts": "accepts", "stance.qualifies": "qualifies", "stance.rejects": "rejects",
  "corpus.viaVerdict": "its verdict", "corpus.aligned": "Factors aligned across papers",
  "corpus.alignedIntro": "Exact and close matches are one factor in the corpus graph; broader and narrower matches relate meanings and are never walked as causes.",
  "match.exact": "same as", "match.close": "close to", "match.broader": "narrower than", "match.narrower": "broader than",
  "corpus.notLoaded": "(paper not loaded)", "corpus.chains": "Chains across papers", "corpus.cause": "Cause", "corpus.effect": "Effect",
  "corpus.crossOnly": "only chains that use several papers", "corpus.find": "Find chains", "corpus.noChains": "No chain between these factors.",
  "corpus.chainN": "Chain {i}: {n} link(s), papers: {p}", "corpus.joined": "joined by an alignment",
  "corpus.loops": "Loops across papers", "corpus.noLoops": "No feedback loop runs through several papers.",
  "corpus.loopN": "{kind} loop of {n} link(s), papers: {p}", reinforcing: "reinforcing", balancing: "balancing",
  "corpus.pick": "Pick a cause and an effect.", "corpus.none": "—",
});
Object.assign(STRINGS.zh, {
  "corpus.papers": "文献", "corpus.paper": "文献", "corpus.factors": "因素", "corpus.links": "因果关系",
  "corpus.explanations": "理论解释", "corpus.alignmentsMade": "对齐条目", "corpus.stancesTaken": "表明的立场",
  "corpus.whoSays": "各文献对每种理论解释的立场",
  "corpus.whoSaysIntro": "每行是一种理论解释,每列是一篇文献。文献对自身解释的立场即其评价;对其他文献解释的立场以其原文表述。",
  "corpus.explanation": "理论解释", "corpus.from": "提出者", "corpus.posits": "所归因的因素",
  "stance.posits": "提出", "stance.accepts": "认同", "stance.qualifies": "有保留地认同", "stance.rejects": "反对",
  "corpus.viaVerdict": "本文评价", "corpus.aligned": "跨文献对齐的因素",
  "corpus.alignedIntro": "完全匹配与近似匹配在文献总图中视为同一因素;上位与下位匹配只表示含义关系,不作为因果路径。",
  "match.exact": "等同于", "match.close": "近似于", "match.broader": "从属于", "match.narrower": "包含",
  "corpus.notLoaded": "(该文献未加载)", "corpus.chains": "跨文献因果链", "corpus.cause": "原因", "corpus.effect": "结果",
  "corpus.crossOnly": "只显示跨越多篇文献的因果链", "corpus.find": "查找因果链", "corpus.noChains": "这两个因素之间没有因果链。",
  "corpus.chainN": "因果链 {i}:{n} 个环节,文献:{p}", "corpus.joined": "经对齐连接",
  "corpus.loops": "跨文献反馈循环", "corpus.noLoops": "没有跨越多篇文献的反馈循环。",
  "corpus.loopN": "{kind}循环,{n} 个环节,文献:{p}", reinforcing: "增强型", balancing: "平衡型",
  "corpus.pick": "请选择原因和结果。", "corpus.none": "—",
});

const app = document.getElementById("app");

function itemText(item) {
  const text = label({ label: { zh: item.zh, en: item.en }, id: item.id });
  return text || item.id;
}

function itemRef(item) {
  return el("span", { class: "corpus-item", "data-item": `${item.paper}/${item.id}` },
    itemText(item), " ", el("span", { class: "muted" }, `[${item.paper}]`),
    item.loaded === false ? el("span", { class: "muted" }, ` ${t("corpus.notLoaded")}`) : null,
    iriLink(item.iri));
}

function factorRef(ref, paper) {
  return itemRef({ ...ref, paper, loaded: true });
}

function papersTable(papers) {
  const table = el("table", { class: "grid", id: "corpus-papers" });
  const cols = ["corpus.paper", "corpus.factors", "corpus.links", "corpus.explanations", "corpus.alignmentsMade", "corpus.stancesTaken"];
  table.append(el("thead", {}, el("tr", {}, cols.map((k) => el("th", { scope: "col" }, t(k))))));
  table.append(el("tbody", {}, papers.map((p) => el("tr", { "data-paper": p.id },
    el("th", { scope: "row" }, (lang() === "zh" ? p.title_zh || p.title_en : p.title_en || p.title_zh) || p.id,
      " ", el("span", { class: "muted" }, p.id), iriLink(p.iri)),
    ...[p.factors, p.links, p.explanations, p.alignments, p.stances].map((n) => el("td", {}, String(n)))))));
  return el("div", { class: "table-wrap" }, table);
}

function stanceCell(entries) {
  if (!entries.length) return el("td", { class: "muted" }, t("corpus.none"));
  return el("td", {}, entries.map((s) => el("div", { class: "stance", "data-stance": s.stance, "data-source": s.source },
    el("span", { class: `badge ${s.stance === "rejects" ? "decreases" : s.stance === "qualifies" ? "" : "increases"}` }, t(`stance.${s.stance}`)),
    s.source === "verdict" ? el("span", { class: "muted" }, ` (${t("corpus.viaVerdict")})`) : null,
    s.quote ? quoteBlock(s.quote, s.english) : null)));
}

// The factors an explanation posits, aligned factors of other papers beside them (" = ").
function posited(nodes) {
  if (!nodes.length) return null;
  return el("div", { class: "muted", "data-role": "posits" }, `${t("corpus.posits")}: `,
    nodes.map((n) => n.members.map((m) => `${label(m.factor)} [${m.paper}]`).join(" = ")).join("; "));
}

function stancesTable(papers, explanations) {
  const table = el("table", { class: "grid", id: "corpus-stances" });
  table.append(el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("corpus.explanation")),
    papers.map((p) => el("th", { scope: "col" }, p.id)))));
  const body = el("tbody");
  for (const e of explanations) {
    const row = el("tr", { "data-explanation": `${e.explanation.paper}/${e.explanation.id}` },
      el("th", { scope: "row" }, itemRef(e.explanation), e.family ? el("div", { class: "muted" }, e.family) : null,
        posited(e.factors || [])));
    for (const p of papers) row.append(stanceCell(e.stances.filter((s) => s.paper === p.id)));
    body.append(row);
  }
  table.append(body);
  return el("div", { class: "table-wrap" }, table);
}

function alignmentsTable(alignments) {
  const table = el("table", { class: "grid", id: "corpus-alignments" });
  table.append(el("tbody", {}, alignments.map((a) => el("tr", { "data-relation": a.relation },
    el("td", {}, itemRef(a.factor)),
    el("td", {}, el("span", { class: "badge" }, t(`match.${a.relation}`))),
    el("td", {}, itemRef(a.target)),
    el("td", {}, a.quote ? quoteBlock(a.quote, a.note) : a.note ? el("p", { class: "muted", lang: "en" }, a.note) : null)))));
  return el("div", { class: "table-wrap" }, table);
}

function stepList(steps) {
  return el("ol", { class: "items" }, steps.map((s) => el("li", { class: "step", "data-link": s.link.id, "data-paper": s.paper },
    s.via_alignment ? el("span", { class: "badge" }, t("corpus.joined")) : null, " ",
    factorRef(s.cause, s.paper), " → ", factorRef(s.effect, s.paper), " ", polarityBadge(s.link.polarity),
    s.link.quote ? quoteBlock(s.link.quote, s.link.mechanism) : null)));
}

function nodeOption(node, chosen) {
  const names = node.members.map((m) => `${label(m.factor)} [${m.paper}]`).join(" = ");
  const value = `${node.members[0].paper}/${node.members[0].factor.id}`;
  const picked = chosen && node.members.some((m) => chosen === `${m.paper}/${m.factor.id}`);
  return el("option", { value, selected: picked || null }, names);
}

async function runChains(box, from, to, crossOnly) {
  clear(box);
  if (!from || !to) { box.append(el("p", {}, t("corpus.pick"))); return; }
  let found;
  try {
    const q = new URLSearchParams({ from, to, cross_only: String(crossOnly), limit: "50" });
    found = await api(`/api/corpus/chains?${q}`);
  } catch (err) { showError(box, err); return; }
  box.dataset.count = String(found.count);
  if (!found.count) { box.append(el("p", {}, t("corpus.noChains"))); return; }
  found.data.forEach((c, i) => box.append(el("section", { class: "chain card", "data-chain": String(i + 1) },
    el("h3", {}, fill(t("corpus.chainN"), { i: i + 1, n: c.length, p: c.papers.join(", ") }), " ", polarityBadge(c.polarity)),
    stepList(c.steps))));
}

async function chainsSection(nodes) {
  const from = getParam("from");
  const to = getParam("to");
  const cross = getParam("cross") !== "0";
  const sorted = [...nodes].sort((a, b) => label(a.members[0].factor).localeCompare(label(b.members[0].factor)));
  const selFrom = el("select", { id: "corpus-from", "aria-label": t("corpus.cause") }, el("option", { value: "" }, "…"), sorted.map((n) => nodeOption(n, from)));
  const selTo = el("select", { id: "corpus-to", "aria-label": t("corpus.effect") }, el("option", { value: "" }, "…"), sorted.map((n) => nodeOption(n, to)));
  const box = el("input", { type: "checkbox", id: "corpus-cross", checked: cross || null });
  const out = el("div", { id: "corpus-chains" });
  const go = el("button", { type: "button", id: "corpus-find" }, t("corpus.find"));
  go.addEventListener("click", () => {
    setParams({ from: selFrom.value, to: selTo.value, cross: box.checked ? null : "0" }, true);
    runChains(out, selFrom.value, selTo.value, box.checked);
  });
  const form = el("div", { class: "controls" },
    el("label", {}, `${t("corpus.cause")} `, selFrom), el("label", {}, `${t("corpus.effect")} `, selTo),
    el("label", {}, box, ` ${t("corpus.crossOnly")}`), go);
  await runChains(out, from, to, cross);
  return [form, out];
}

function loopsSection(loops) {
  if (!loops.length) return [el("p", { class: "muted", id: "corpus-loops" }, t("corpus.noLoops"))];
  return [el("div", { id: "corpus-loops" }, loops.map((lp, i) => el("section", { class: "card", "data-loop": String(i + 1) },
    el("h3", {}, fill(t("corpus.loopN"), { kind: t(lp.kind), n: lp.length, p: lp.papers.join(", ") })),
    stepList(lp.steps))))];
}

async function render() {
  try {
    const [papers, stances, alignments, nodes, loops] = await Promise.all([
      api("/api/corpus/papers"), api("/api/corpus/explanations"), api("/api/corpus/alignments"),
      api("/api/corpus/nodes"), api("/api/corpus/loops")]);
    clear(app);
    app.append(el("h2", {}, t("corpus.papers")), papersTable(papers.data));
    app.append(el("h2", {}, t("corpus.whoSays")), el("p", {}, t("corpus.whoSaysIntro")),
      stancesTable(papers.data, stances.data));
    app.append(el("h2", {}, t("corpus.aligned")), el("p", {}, t("corpus.alignedIntro")),
      alignmentsTable(alignments.data));
    app.append(el("h2", {}, t("corpus.chains")), ...(await chainsSection(nodes.data)));
    app.append(el("h2", {}, t("corpus.loops")), ...loopsSection(loops.data));
  } catch (err) { showError(app, err); }
}

setupPage(() => render());
