// The policy map: recommendations grouped by target or by actor; mechanism links no policy addresses.
import { api, clear, el, exploreLink, exportLinks, getParam, iriLink, kindBadge, label, polarityBadge, quoteBlock, setParams, setupPage, showError, t } from "./common.js";
import { fill } from "./i18n.js";

const app = document.getElementById("app");

// A factor target by its label; a link target as the relation it is: cause → effect (polarity).
function targetView(target) {
  if (target.kind === "link" && target.cause && target.effect) {
    return el("span", { class: "link-target" }, kindBadge("link"), exploreLink(target.cause), " → ",
      exploreLink(target.effect), " ", polarityBadge(target.polarity), " ",
      el("span", { class: "muted" }, "(", exploreLink(target), ")"));
  }
  return el("span", {}, kindBadge(target.kind), exploreLink(target));
}

function aimText(aim, aimLabel) {
  if (!aim) return "";
  return aimLabel ? label({ label: aimLabel }) : t(`aim.${aim}`);
}

// One target of a recommendation with the recommendation's aim for it, whether naming it is our
// reading (inferred), and what reaching the aim does to the outcome.
function targetLine(target, focus) {
  return el("li", { "data-target": target.id, "data-aim": target.aim || "", class: focus === target.id ? "focus" : null },
    target.aim ? el("span", { class: `badge aim aim-${target.aim}`, "data-role": "aim" }, aimText(target.aim, target.aim_label)) : null,
    targetView(target),
    target.inferred ? el("span", { class: "badge inferred", "data-role": "inferred", title: t("inferredTargetHint") }, t("inferredTarget")) : null,
    target.outcome_effect ? el("span", { class: "muted", "data-role": "effect" }, ` · ${t(`effect.${target.outcome_effect}`)}`) : null);
}

function policyLine(p, focus) {
  return el("li", { "data-policy": p.id },
    exploreLink(p), iriLink(p.iri),
    el("div", { class: "muted" },
      p.aim ? `${t("aim")}: ${aimText(p.aim, p.aim_label)}` : p.targets.some((x) => x.aim) ? t("aimsDiffer") : "",
      p.instrument ? ` · ${t("instrument")}: ${p.instrument_label ? label({ label: p.instrument_label }) : p.instrument}` : "",
      p.actors.length ? ` · ${t("actors")}: ${p.actors.map((a) => label(a)).join(", ")}` : ""),
    p.targets.length ? el("ul", { class: "targets", "data-role": "targets", "aria-label": t("targets") },
      p.targets.map((tg) => targetLine(tg, focus))) : null,
    p.quote ? quoteBlock(p.quote, p.label && p.label.en) : null);
}

async function render() {
  try {
    const data = await api("/api/view/policies");
    clear(app);
    const mode = getParam("by") === "actor" ? "actor" : "target";
    const bar = el("div", { class: "controls", role: "group" });
    for (const m of ["target", "actor"]) {
      bar.append(el("button", { type: "button", id: `by-${m}`, "aria-pressed": String(m === mode), onclick: () => {
        setParams({ by: m }, true);
        render();
      } }, t(m === "target" ? "byTarget" : "byActor")));
    }
    app.append(bar);

    const gaps = el("section", { id: "gaps", class: "card" },
      el("h2", {}, t("gaps")),
      el("p", {}, fill(t("gapsIntro"), { n: data.gaps.length, m: data.mechanism_links })),
      el("ul", { class: "items" }, data.gaps.map((g) => el("li", { "data-gap": g.id }, targetView(g),
        g.quote ? quoteBlock(g.quote, g.label && g.label.en) : null))));

    const groups = el("div", { class: "cards", id: "groups" });
    const list = mode === "actor" ? data.by_actor : data.by_target;
    for (const g of list) {
      const head = mode === "actor"
        ? (g.actor ? el("span", {}, kindBadge(g.actor.kind), exploreLink(g.actor)) : el("span", {}, t("noActor")))
        : targetView(g.target);
      groups.append(el("section", { class: "card" }, el("h3", {}, head),
        el("p", { class: "muted" }, fill(t("policiesN"), { n: g.policies.length })),
        el("ul", { class: "items" }, g.policies.map((id) => policyLine(data.policies[id], mode === "target" ? g.target.id : null)))));
    }
    app.append(el("div", { class: "row" }, el("div", { style: "flex:2" }, groups), el("div", { style: "flex:1" }, gaps)));
    app.append(await exportLinks(["aif", "argdown", "claims-csv", "claims-md"]));
  } catch (err) { showError(app, err); }
}

setupPage(() => render());
