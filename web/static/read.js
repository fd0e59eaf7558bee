// The reader: the paper's text (served only from the configured source path) with every
// anchored span highlighted; a click opens the item in the graph explorer.
import { api, clear, el, setupPage, showError, t, withLang } from "./common.js";

const app = document.getElementById("app");

async function render() {
  try {
    const data = await api("/api/view/reader");
    clear(app);
    if (!data.available) { app.append(el("p", { class: "note", id: "no-reader" }, t("noReader"))); return; }
    app.append(el("p", {}, t("readerIntro")));
    const text = el("article", { class: "reader", id: "reader", lang: "zh" });
    for (const seg of data.segments) {
      if (!seg.items) { text.append(seg.text); continue; }
      const first = seg.items[0];
      const a = el("a", { class: `span k-${first.kind}`, href: withLang(`/explore?node=${encodeURIComponent(first.id)}`),
        title: seg.items.map((i) => `${t("kind." + i.kind)}: ${i.id}`).join("\n"), "data-item": first.id }, seg.text);
      text.append(a);
    }
    app.append(text);
  } catch (err) { showError(app, err); }
}

setupPage(() => render());
