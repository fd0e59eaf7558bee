// The SPARQL editor: YASGUI (served from its npm package) against this server's /sparql, with the
// example queries of corpus/liu-tong-2021/queries/*.rq as tabs. The query is kept in the URL (?query=...).
import { api, clear, el, getParam, setParams, setupPage, showError, t } from "./common.js";

const app = document.getElementById("app");
let yasgui = null;

// YASGUI builds its inputs without labels: name each one for assistive technology.
function labelInputs(box) {
  for (const input of box.querySelectorAll("input, textarea, select")) {
    if (input.getAttribute("aria-label") || input.labels?.length) continue;
    let name = input.getAttribute("placeholder") || input.getAttribute("title") || "";
    if (input.closest(".yasqe") || input.tagName === "TEXTAREA") name = t("queryLabel");
    else if (input.closest(".autocompleteWrapper") || /endpoint/i.test(name)) name = t("endpoint");
    input.setAttribute("aria-label", name || t("queryLabel"));
  }
}

async function render(langOnly) {
  if (langOnly && yasgui) return;
  try {
    clear(app);
    app.append(el("p", {}, t("queryIntro")));
    const examples = await api("/api/view/queries");
    const bar = el("div", { class: "controls", id: "examples" }, el("strong", {}, `${t("examples")}: `));
    app.append(bar);
    const box = el("div", { id: "yasgui" });
    app.append(box);
    if (typeof Yasgui === "undefined") { showError(app, new Error("YASGUI is not installed (scripts/setup)")); return; }
    localStorage.removeItem("yagui__config");
    yasgui = new Yasgui(box, {
      requestConfig: { endpoint: `${location.origin}/sparql`, method: "POST" },
      copyEndpointOnNewTab: true,
      persistenceId: null,
    });
    const shared = getParam("query");
    const tab = yasgui.getTab();
    if (shared) tab.setQuery(shared);
    else if (examples.data.length) tab.setQuery(examples.data.find((q) => q.name === "roots")?.query || examples.data[0].query);
    for (const q of examples.data) {
      bar.append(el("button", { type: "button", "data-query": q.name, title: q.title, onclick: () => {
        const current = yasgui.getTab();
        current.setQuery(q.query);
        setParams({ query: q.query });
      } }, q.name));
    }
    yasgui.on("query", (_y, tb) => setParams({ query: tb.getQuery() }));
    labelInputs(box);
    new MutationObserver(() => labelInputs(box)).observe(box, { childList: true, subtree: true });
  } catch (err) { showError(app, err); }
}

setupPage((langOnly) => render(langOnly));
