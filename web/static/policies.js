// The policy map: recommendations grouped by target or by actor; mechanism links no policy addresses.
import { api, clear, el, exploreLink, exportLinks, getParam, iriLink, kindBadge, label, polarityBadge, quoteBlock, setParams, setupPage, showError, t } from "./common.js";
import { fill } from "./i18n.js";

const app = document.getElementById("app");

function targetView(target) {
  if (target.kind === "link" && target.cause && target.effect) {
    return el("span", {}, kindBadge("link"), exploreLink(target.cause), " → ", exploreLink(target.effect), " ",
      polarityBadge(target.polarity), " ", exploreLink(target));
  }
  return el("span", {}, kindBadge(target.kind), exploreLink(target));
}

function policyLine(p) {
  return el("li", { "data-policy": p.id },
    exploreLink(p), iriLink(p.iri),
    el("div", { class: "muted" },
      p.aim ? `${t("aim")}: ${p.aim_label ? label({ label: p.aim_label }) : p.aim}` : "",
      p.instrument ? ` · ${t("instrument")}: ${p.instrument_label ? label({ label: p.instrument_label }) : p.instrument}` : "",
      p.actors.length ? ` · ${t("actors")}: ${p.actors.map((a) => label(a)).join(", ")}` : ""),
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
        el("ul", { class: "items" }, g.policies.map((id) => policyLine(data.policies[id])))));
    }
    app.append(el("div", { class: "row" }, el("div", { style: "flex:2" }, groups), el("div", { style: "flex:1" }, gaps)));
    app.append(await exportLinks(["aif", "argdown", "claims-csv", "claims-md"]));
  } catch (err) { showError(app, err); }
}

setupPage(() => render());
