"""Section 4: time to an interactive graph in headless Chromium (Debian's, through Playwright).

"Interactive" is the viewer's own signal: `window.__argraph` is set and the graph container has
`data-ready="true"` (the nodes are drawn at the positions the server computed; there is no physics
to wait for). The time is the page's `performance.now()` at that moment, i.e. from the start of
navigation. For the paper: the first screen `/` (the main argument drawn small, its data embedded
in the page), and `/explore?view=all` (everything, with filters) as a second figure. For a
1,000-paper corpus: `/explore?node=<factor>` (the viewer loads that node's neighbourhood), served
by argraph over the on-disk store of the corpus.

Against a server already running: `python -m bench.viewer --url http://127.0.0.1:8000 --runs 5`.
"""

from __future__ import annotations

import os
import shutil
import statistics
from pathlib import Path
from typing import Any

READY = "() => window.__argraph && document.getElementById('graph') && document.getElementById('graph').dataset.ready === 'true'"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium() -> str | None:
    """The Chromium binary of the browser tests (tests/browser/conftest.py) and of this section:
    ARGRAPH_CHROMIUM (None when that is not a file), else Debian's headless shell (package
    chromium-headless-shell: the same Blink and V8 as its chromium without the browser around
    them, as Playwright's own headless runs use; the browser tests took about 6 CPU-seconds less
    of about 38 with it, in four paired runs of tests/browser: 32-34 against 38-39), else the
    full chromium. The shell's /usr/bin entry is a script that does not exec the binary, so the
    binary itself is named."""
    chosen = os.environ.get("ARGRAPH_CHROMIUM")
    if chosen:
        return chosen if Path(chosen).is_file() else None
    for name in (
        "/usr/lib/chromium/chromium-headless-shell",
        "/usr/bin/chromium",
        shutil.which("chromium"),
    ):
        if name and Path(name).is_file():
            return name
    return None


def why_not() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "not measured: playwright is not installed (pip install playwright)"
    if chromium() is None:
        return "not measured: no Chromium (apt-get install chromium-headless-shell)"
    repo = Path(__file__).resolve().parent.parent
    if not (repo / "web" / "static" / "explore.js").exists():
        return "not measured: the viewer (web/static/explore.js) is not there yet"
    return None


_BREAKDOWN = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const api = performance.getEntriesByType('resource').filter(r => r.name.includes('/api/'));
  const apiEnd = api.length ? Math.max(...api.map(r => r.responseEnd)) : 0;
  const apiServer = api.reduce((s, r) => s + (r.responseStart - r.requestStart), 0);
  return {html_s: nav.responseEnd / 1000, dom_ready_s: nav.domContentLoadedEventEnd / 1000,
          api_done_s: apiEnd / 1000, api_server_s: apiServer / 1000,
          ready_s: performance.now() / 1000};
}"""


def time_pages(base: str, paths: list[str], runs: int, timeout_s: float = 60) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    out: dict[str, Any] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium(), args=ARGS, headless=True)
        try:
            for path in paths:
                times: list[float] = []
                nodes = None
                error = None
                parts: list[dict[str, float]] = []
                for _ in range(runs):
                    page = browser.new_page()
                    try:
                        page.goto(base + path, wait_until="commit", timeout=timeout_s * 1000)
                        page.wait_for_function(READY, timeout=timeout_s * 1000, polling=20)
                        times.append(page.evaluate("performance.now()") / 1000)
                        nodes = page.evaluate("document.getElementById('graph').dataset.nodes")
                        parts.append(page.evaluate(_BREAKDOWN))
                    except Exception as exc:  # a page that never gets ready is a figure too
                        error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
                    finally:
                        page.close()
                breakdown = (
                    {k: statistics.median(p[k] for p in parts) for k in parts[0]} if parts else {}
                )
                out[path] = {
                    "median_s": statistics.median(times) if times else None,
                    "runs": times,
                    "nodes": nodes,
                    "error": error,
                    "breakdown": breakdown,
                }
        finally:
            browser.close()
    return out


def run(
    workdir: Path,
    dist: Path,
    corpus_store: Path | None,
    corpus_dist: Path | None,
    runs: int,
    *,
    say: Any = print,
) -> dict[str, Any]:
    from bench import peers
    from bench import synthetic as sy

    note = why_not()
    if note:
        return {"note": note}
    result: dict[str, Any] = {}
    say("  viewer: the paper")
    server = peers.start_python("argraph", workdir / "viewer-paper", cpu=None, dist=dist)
    try:
        base = server.url.removesuffix("/sparql")
        timed = time_pages(base, ["/", "/explore?view=all"], runs)
        result["paper"] = timed["/"] | {"path": "/"}
        result["paper_all"] = timed["/explore?view=all"] | {"path": "/explore?view=all"}
    finally:
        server.stop()
    if corpus_store is None or corpus_dist is None:
        result["corpus"] = {
            "note": "not measured: no 1,000-paper store (run the scale section "
            "with size 1000 and the embedded store)"
        }
        return result
    say("  viewer: the 1,000-paper corpus (neighbourhood loading)")
    server = peers.start_python(
        "argraph",
        workdir / "viewer-corpus",
        cpu=None,
        dist=corpus_dist,
        store_path=corpus_store,
        timeout=600,
    )
    try:
        base = server.url.removesuffix("/sparql")
        node = sy.item_iri(sy.paper_id(0), "f-010").rsplit("/", 1)[1]
        path = f"/explore?node={node}"
        result["corpus"] = time_pages(base, [path], runs)[path] | {"path": path}
    finally:
        server.stop()
    return result


def main() -> None:
    import argparse
    import json

    parser = argparse.ArgumentParser(description="time to interactive of the viewer's pages")
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("paths", nargs="*", default=["/", "/explore?view=all"])
    args = parser.parse_args()
    note = why_not()
    if note:
        raise SystemExit(note)
    found = time_pages(args.url.rstrip("/"), args.paths, args.runs)
    for path, r in found.items():
        median = r["median_s"]
        shown = f"{median:.3f} s" if median is not None else r["error"]
        print(f"{path}: time to interactive {shown} (runs {r['runs']}, nodes {r['nodes']})")
    print(json.dumps(found, indent=1))


if __name__ == "__main__":
    main()
