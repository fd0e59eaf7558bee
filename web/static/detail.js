// The detail panel: one item from /api/view/item/{id}, built from text nodes only.
import { checkCard } from "./checks.js";
import { clear, el, englishOf, lang, iriLink, kindBadge, label, otherLabel, polarityBadge, quoteBlock, t } from "./common.js";

const charts = [];

const ORDER = [
  "caused_by.out", "causes.out", "supports.in", "challenges.in", "qualifies.in", "supports_link.in",
  "challenges_link.in", "hasStatistic.out", "targets.in", "targets_link.in", "posits.in",
  "about.out", "about.in", "supports.out", "challenges.out", "qualifies.out", "targets.out",
  "posits.out", "rationale.out", "rationale.in", "actor.out", "actor.in", "actsThrough.out", "actsThrough.in",
  "oppositeOf.out", "indicatorOf.out", "indicatorOf.in", "related.out", "element.out", "element.in",
  "assertedBy.out", "assertedBy.in", "verdictStatedBy.out", "hasMechanismLink.out", "cites.out", "references.out",
];

function itemLine(ref, open) {
  const li = el("li");
  if (ref.position) li.append(el("span", { class: "muted", "data-role": "position" }, `${ref.position}. `));
  // a policy target's aim, and whether a posit or target is stated or our reading (arg:basis)
  if (ref.aim) li.append(el("span", { class: `badge aim aim-${ref.aim}`, "data-role": "aim" }, ref.aim_label ? label({ label: ref.aim_label }) : t(`aim.${ref.aim}`)));
  li.append(kindBadge(ref.kind));
  if (ref.kind === "link" && ref.cause && ref.effect) {
    li.append(polarityBadge(ref.polarity));
  }
  li.append(el("button", { type: "button", class: "linkish", "data-item": ref.id,
    onclick: () => open(ref.id) }, label(ref)));
  if (ref.kind === "link" && ref.cause && ref.effect) {
    li.append(el("span", { class: "muted", "data-role": "relation" }, ` (${label(ref.cause)} → ${label(ref.effect)})`));
  }
  if (ref.basis) {
    li.append(el("span", { class: `badge basis basis-${ref.basis}`, "data-role": "basis", title: t(`basisHint.${ref.basis}`) }, t(`basis.${ref.basis}`)));
  }
  li.append(iriLink(ref.iri));
  if (ref.basis_quote) {
    li.append(el("div", { class: "muted", lang: "zh", "data-role": "basis-quote" }, `${t("statedBy")}: “${ref.basis_quote}”`));
    return li;
  }
  if (ref.quote) {
    li.append(el("div", { class: "muted", lang: "zh" }, `“${ref.quote}”`));
    if (lang() !== "zh" && ref.label && ref.label.en && ref.label.en !== label(ref)) li.append(el("div", { class: "muted", lang: "en" }, ref.label.en));
  }
  return li;
}

// Markdown of the source shown as text: no heading marks, footnote markers as [n], no bold marks.
function plain(text) {
  return text.replace(/^#{1,6}[ \t]+/gm, "").replace(/<sup>(.*?)<\/sup>/g, "$1").replace(/<\/?sup>/g, "").replace(/\*\*/g, "");
}

export function renderDetail(panel, item, open) {
  for (const c of charts.splice(0)) c.dispose();
  clear(panel);
  panel.dataset.item = item.id;
  panel.append(el("div", {}, kindBadge(item.kind), iriLink(item.iri)));
  panel.append(el("div", { class: "panel-head" }, el("h2", { id: "detail-title" }, label(item)),
    el("button", { type: "button", class: "close", id: "close-detail", "aria-label": t("closePanel"),
      onclick: () => panel.dispatchEvent(new CustomEvent("argraph:close", { bubbles: true })) }, "×")));
  panel.append(el("p", { class: "other-lang" }, otherLabel(item)));

  if (item.kind === "link" && item.cause && item.effect) {
    panel.append(el("h3", {}, t("link")));
    panel.append(el("p", {},
      el("button", { type: "button", class: "linkish", onclick: () => open(item.cause.id) }, label(item.cause)),
      " → ",
      el("button", { type: "button", class: "linkish", onclick: () => open(item.effect.id) }, label(item.effect)),
      " ", polarityBadge(item.polarity)));
  }

  if (item.quote) {
    panel.append(el("h3", {}, t("quote")));
    panel.append(quoteBlock(item.quote, englishOf(item)));
  }
  const place = [];
  if (item.section) place.push(label(item.section));
  if (item.anchor) place.push(`${t("chars")} ${item.anchor.start}–${item.anchor.end}`);
  if (place.length) {
    panel.append(el("h3", {}, t("place")));
    panel.append(el("p", { "data-role": "place" }, place.join(" · ")));
  }
  if (item.checks && item.checks.length) {
    panel.append(el("h3", {}, `${t("checksAgainstData")} (${item.checks.length})`));
    const box = el("div", { "data-role": "checks" });
    for (const c of item.checks) box.append(checkCard(c, { charts }));
    panel.append(box);
  }

  if (item.passage) {
    panel.append(el("h3", {}, t("passage")));
    panel.append(el("div", { class: "passage", lang: "zh", "data-role": "passage" },
      `…${plain(item.passage.before)}`, el("mark", {}, plain(item.passage.text)), `${plain(item.passage.after)}…`));
  } else if (item.anchor && !item.source_available) {
    panel.append(el("p", { class: "muted" }, t("noSource")));
  }

  if (item.facts.length || item.areas.length) {
    panel.append(el("h3", {}, t("facts")));
    const dl = el("ul", { class: "items", "data-role": "facts" });
    for (const f of item.facts) {
      const value = f.label ? label(f.label) || f.value : f.name === "unit" ? t(`unit.${f.value}`) : f.value;
      dl.append(el("li", {}, el("strong", {}, `${t("fact." + f.name)}: `), value,
        f.lang ? el("span", { class: "muted" }, ` @${f.lang}`) : null));
    }
    if (item.areas.length) {
      dl.append(el("li", {}, el("strong", {}, `${t("areas")}: `),
        item.areas.map((a) => label(a)).join(", ")));
    }
    panel.append(dl);
  }

  if (item.citations.length) {
    panel.append(el("h3", {}, t("citations")));
    const ul = el("ul", { class: "items", "data-role": "citations" });
    for (const c of item.citations) {
      ul.append(el("li", {}, c.number ? `[${c.number}] ` : "",
        el("button", { type: "button", class: "linkish", onclick: () => open(c.reference.id) }, label(c.reference)),
        c.pages ? `, pp. ${c.pages}` : "", el("span", { class: "muted" }, ` (${c.function})`),
        iriLink(c.reference.iri)));
    }
    panel.append(ul);
  }

  const groups = new Map();
  for (const r of item.relations) {
    const key = `${r.name}.${r.direction}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(r.target);
  }
  const keys = [...groups.keys()].sort((a, b) => {
    const ia = ORDER.indexOf(a), ib = ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  for (const key of keys) {
    panel.append(el("h3", {}, `${t("rel." + key)} (${groups.get(key).length})`));
    const ul = el("ul", { class: "items", "data-rel": key });
    for (const ref of groups.get(key)) ul.append(itemLine(ref, open));
    panel.append(ul);
  }
}
