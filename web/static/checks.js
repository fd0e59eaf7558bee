// Claim checks (graph/data/checks.py via /api/data/checks and /api/view/item): the verdict as a
// badge, computed value vs the paper's, the recipe, the inputs (file, column, rows), a small chart.
import { el, label, t } from "./common.js";
import { checkSeries, marksPaperValue, seriesChart } from "./datacharts.js";

export const VERDICTS = ["reproduced", "close", "differs", "not-checkable"];

// names: {zh, en} from the graph (arg:CheckVerdict rdfs:label), else the interface's words.
export function verdictBadge(verdict, names) {
  const text = (names && label({ label: names })) || t(`verdict.${verdict}`);
  return el("span", { class: `badge verdict v-${verdict}`, "data-role": "verdict", "data-verdict": verdict }, text);
}

function num(v) {
  if (v === null || v === undefined) return null;
  return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(4)));
}

function valueText(text, value, unit) {
  const bits = [];
  if (text) bits.push(text);
  else if (num(value) !== null) bits.push(num(value));
  if (!text && unit && num(value) !== null) bits.push(unit);
  return bits.join(" ");
}

// One check as a card; charts (echarts instances) are pushed to `charts` for disposal.
export function checkCard(check, { names, charts, chart = true, heading = "h4" } = {}) {
  const card = el("div", { class: "check", "data-check": check.id, "data-verdict": check.verdict });
  card.append(el(heading, {}, verdictBadge(check.verdict, names || check.verdict_label), check.label || check.id));
  const facts = el("ul", { class: "items" });
  const computed = valueText(check.computed_text, check.computed, check.unit);
  facts.append(el("li", { "data-role": "computed" }, el("strong", {}, `${t("computed")}: `), computed || "-",
    check.unit && check.computed_text ? el("span", { class: "muted" }, ` (${check.unit})`) : null));
  const paperNum = num(check.paper_value);
  facts.append(el("li", { "data-role": "paper" }, el("strong", {}, `${t("paperValue")}: `),
    paperNum !== null ? `${paperNum}${check.unit ? " " + check.unit : ""}` : t("noPaperValue"),
    check.paper_text ? el("div", { class: "muted", lang: "zh" }, `“${check.paper_text}”`) : null));
  if (check.recipe) facts.append(el("li", { "data-role": "recipe" }, el("strong", {}, `${t("recipe")}: `), check.recipe));
  if (check.inputs.length) {
    facts.append(el("li", { "data-role": "inputs" }, el("strong", {}, `${t("inputs")}:`),
      el("ul", { class: "inputs" }, check.inputs.map((i) => el("li", {}, el("code", {}, i.file),
        i.column ? [" · ", el("span", { lang: "zh" }, i.column)] : null,
        i.scope ? el("span", { class: "muted" }, ` · ${t("rows")}: ${i.scope}`) : null)))));
  }
  for (const n of check.notes) facts.append(el("li", { class: "muted", "data-role": "note" }, n));
  if (check.alternatives.length) {
    const list = el("ul", { class: "inputs" }, check.alternatives.map((a) => el("li", {}, a.label,
      num(a.value) !== null ? `: ${num(a.value)}` : "", " ", a.verdict ? verdictBadge(a.verdict) : null)));
    facts.append(el("li", { "data-role": "alternatives" },
      el("details", { open: check.alternatives.length <= 3 }, el("summary", {}, el("strong", {}, `${t("alternatives")} (${check.alternatives.length})`)), list)));
  }
  card.append(facts);
  if (chart) {
    // a placeholder keeps the chart where it belongs while the chart spec is read
    const slot = el("div", { "data-role": "check-chart" });
    card.append(slot);
    const year = (check.inputs.map((i) => (i.scope || "").match(/\b(19|20)\d\d\b/)).find(Boolean) || [])[0];
    checkSeries(check).then(async (id) => {
      if (!id) { slot.remove(); return; }
      const paperValue = (await marksPaperValue(id)) ? check.paper_value : null;
      const c = await seriesChart(slot, id, { mini: true, year, paperValue });
      if (c && charts) charts.push(c);
    }).catch(() => slot.remove());
  }
  return card;
}
