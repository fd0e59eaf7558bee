"""The viewer: HTML pages, its own static files, vendored front-end packages served from their
installed folders, and the JSON it needs under /api/view/... (neighbourhoods, search, one item
with its passage and its claim checks, stated loops, the policy map, regions, verdict labels in
both languages, the reader's text).

Every page and view speaks of one paper: `?paper=<paper>` (the last segment of its document IRI),
by default the first loaded paper; the item views without it find the first paper that has the
item. The viewer's scripts carry the page's `paper` into every API call and link (common.js).
Where each paper's text and check file are found: web/papers.py."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.deps import SettingsDep, StoreDep
from api.routes.papers import (
    ItemPaperPrefixDep,
    PaperPrefixDep,
    PaperQ,
    list_papers,
    paper_graph,
    prefix_of,
)
from errors import NotFound
from graph import repo
from graph.analysis import (
    decline_outcome,
    load_causal_graph,
    load_explanations,
    outcomes,
    root_causes,
)
from graph.analysis.explanations import paper_roots
from graph.data.check_spec import NoPublicData, Spec, read_spec
from graph.namespaces import ARG
from graph.store import Store
from web import assets, network, papers, source, state, views
from web.argument import argument
from web.detail import detail
from web.document import document
from web.viewgraph import search

router = APIRouter(tags=["viewer"])

PAGES = {
    "explore": "Graph explorer",
    "chains": "Chains and the vicious cycle",
    "compare": "Rival explanations",
    "policies": "Policy map",
    "evidence": "Evidence and data",
    "read": "Reader",
    "query": "SPARQL",
    "corpus": "Papers compared",
}
_env = Environment(loader=FileSystemLoader(assets.TEMPLATES), autoescape=select_autoescape())
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"


# The API's check verdict slugs (api/routes/data.py) -> the ontology's individuals.
CHECK_VERDICTS = {
    "reproduced": "Reproduced",
    "close": "Close",
    "differs": "Differs",
    "not-checkable": "NotCheckable",
}


def verdict_labels(store: Store) -> list[dict[str, Any]]:
    """The individuals of `arg:Verdict` (the paper's verdict on an explanation) and of
    `arg:CheckVerdict` (a claim check's outcome), with their labels @zh/@en from the graph."""
    out = []
    slugs = {v: k for k, v in CHECK_VERDICTS.items()}
    for cls, kind in ((ARG.Verdict, "explanation"), (ARG.CheckVerdict, "check")):
        for iri, node in sorted(repo.nodes_of_class(store, str(cls)).items()):
            local = iri.removeprefix(str(ARG))
            out.append(
                {
                    "id": local,
                    "key": slugs.get(local, local) if kind == "check" else local,
                    "kind": kind,
                    "iri": iri,
                    "label": node.labels().model_dump(),
                    "comment": node.lang(RDFS_COMMENT, "en"),
                }
            )
    return out


def _kinds(value: str | None, default: set[str]) -> set[str]:
    if not value:
        return default
    return {k for k in value.split(",") if k in network.NODE_KINDS}


def _page(request: Request, page: str, paper: str | None) -> HTMLResponse:
    """A page of one paper (`paper`, default the first); the explorer carries the paper's metadata
    (its h1 is the title) and the first screen's drawing as JSON data (not executed, so allowed by
    the content security policy)."""
    lang = "zh" if request.query_params.get("lang") == "zh" else "en"
    store: Store = request.app.state.store
    prefix: str = prefix_of(request, paper) if paper else request.app.state.item_prefix
    doc = data = None
    if page == "explore":
        doc = state.cached(request, store, f"document {prefix}", lambda: document(store, prefix))
        g = state.view_graph(request, store, prefix)
        data = {
            "argument": state.cached(
                request, store, f"argument {prefix}", lambda: argument(store, g)
            )
        }
    documents: list[str] = request.app.state.documents
    loaded = (
        state.cached(request, store, "papers", lambda: list_papers(store, documents))
        if len(documents) > 1
        else []
    )
    template = _env.get_template("page.html")
    html = template.render(
        page=page,
        title=PAGES[page],
        pages=PAGES,
        base_iri=request.app.state.base_iri,
        lang=lang,
        doc=doc,
        data=data,
        papers=loaded,
        paper=state.paper_at(request, prefix).id,
    )
    return HTMLResponse(html)


@router.get("/", include_in_schema=False)
def home(request: Request, paper: PaperQ = None) -> HTMLResponse:
    return _page(request, "explore", paper)


def _add_page(name: str) -> None:
    def handler(request: Request, paper: PaperQ = None) -> HTMLResponse:
        return _page(request, name, paper)

    router.add_api_route(
        f"/{name}", handler, methods=["GET"], include_in_schema=False, name=f"page_{name}"
    )


for _name in PAGES:
    _add_page(_name)


@router.get("/static/{path:path}", include_in_schema=False)
def static(path: str) -> FileResponse:
    found = assets.safe_file(assets.STATIC, path)
    if found is None:
        raise NotFound(f"no static file {path!r}")
    return FileResponse(found)


@router.get("/vendor/{name}/{path:path}", include_in_schema=False)
def vendor(name: str, path: str, settings: SettingsDep) -> FileResponse:
    root = assets.vendor_root(name, settings.node_modules)
    if root is None:
        raise NotFound(f"front-end package {name!r} is not installed (run scripts/setup)")
    found = assets.safe_file(root, path)
    if found is None:
        raise NotFound(f"no file {path!r} in {name}")
    return FileResponse(found)


KindsQ = Annotated[str | None, Query(description="node kinds, comma-separated")]


@router.get("/api/view/network", summary="The network to draw (at most a few hundred nodes)")
def view_network(
    request: Request,
    store: StoreDep,
    prefix: PaperPrefixDep,
    kinds: KindsQ = None,
    section: str | None = None,
    explanation: str | None = None,
) -> dict[str, Any]:
    g = state.view_graph(request, store, prefix)
    return network.overview(g, _kinds(kinds, {"factor"}), section, explanation)


@router.get("/api/view/argument", summary="The main argument drawn small, laid out left to right")
def view_argument(request: Request, store: StoreDep, prefix: PaperPrefixDep) -> dict[str, Any]:
    g = state.view_graph(request, store, prefix)
    found: dict[str, Any] = state.cached(
        request, store, f"argument {prefix}", lambda: argument(store, g)
    )
    return found


@router.get("/api/view/document", summary="The paper: title, authors, year, abstract")
def view_document(request: Request, store: StoreDep, prefix: PaperPrefixDep) -> dict[str, Any]:
    found: dict[str, Any] | None = state.cached(
        request, store, f"document {prefix}", lambda: document(store, prefix)
    )
    if found is None:
        raise NotFound("no document in the graph")
    return found


@router.get("/api/view/labels", summary="Labels (zh, en), kind and quote of some items")
def view_labels(
    request: Request,
    store: StoreDep,
    prefix: PaperPrefixDep,
    ids: Annotated[str, Query(max_length=4000, description="item ids, comma-separated")],
) -> dict[str, Any]:
    g = state.view_graph(request, store, prefix)
    found = []
    for ref in ids.split(",")[:200]:
        item = g.resolve(ref.strip()) if ref.strip() else None
        if item is not None:
            found.append({**item.ref(), "quote": item.quote})
    return {"data": found, "count": len(found)}


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> FileResponse:
    return FileResponse(assets.STATIC / "favicon.svg", media_type="image/svg+xml")


@router.get("/api/view/neighbourhood/{item_id}", summary="An item and its neighbours")
def view_neighbourhood(
    request: Request,
    store: StoreDep,
    prefix: ItemPaperPrefixDep,
    item_id: str,
    depth: Annotated[int, Query(ge=1, le=3)] = 1,
    kinds: KindsQ = None,
) -> dict[str, Any]:
    g = state.view_graph(request, store, prefix)
    found = network.neighbourhood(g, item_id, depth, _kinds(kinds, set()) or None)
    if found is None:
        raise NotFound(f"no item {item_id!r}", id=item_id)
    return found


@router.get("/api/view/item/{item_id}", summary="One item for the detail panel")
def view_item(
    request: Request,
    store: StoreDep,
    prefix: ItemPaperPrefixDep,
    settings: SettingsDep,
    item_id: str,
) -> dict[str, Any]:
    g = state.view_graph(request, store, prefix)
    found = detail(store, g, item_id, state.paper_source(request, settings, store, prefix))
    if found is None:
        raise NotFound(f"no item {item_id!r}", id=item_id)
    labels = {v["key"]: v["label"] for v in verdict_labels(store) if v["kind"] == "check"}
    found["checks"] = [
        {**c.model_dump(), "verdict_label": labels.get(c.verdict)}
        for c in state.checks_of(request, store)
        if any(r.iri == found["iri"] for r in (*c.claims, *c.statistics))
    ]
    return found


@router.get("/api/view/verdicts", summary="Verdict labels (explanations, claim checks) in zh/en")
def view_verdicts(store: StoreDep) -> dict[str, Any]:
    found = verdict_labels(store)
    return {"data": found, "count": len(found)}


@router.get("/api/view/search", summary="Items whose labels or quote contain the text")
def view_search(
    request: Request,
    store: StoreDep,
    prefix: PaperPrefixDep,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    kinds: KindsQ = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 30,
) -> dict[str, Any]:
    found = search(state.view_graph(request, store, prefix), q, _kinds(kinds, set()) or None, limit)
    return {"data": found, "count": len(found)}


@router.get("/api/view/meta", summary="Sections, explanations, roots and outcomes for the pickers")
def view_meta(request: Request, store: StoreDep, prefix: PaperPrefixDep) -> dict[str, Any]:
    g = state.view_graph(request, store, prefix)
    cg = paper_graph(load_causal_graph(store), prefix)
    decline = decline_outcome(cg)
    return {
        "base_iri": request.app.state.base_iri,
        "paper": state.paper_at(request, prefix).id,
        "sections": [i.ref() for i in sorted(g.of_kind("section"), key=lambda i: i.id)],
        "explanations": [i.ref() for i in g.of_kind("explanation")],
        "roots": [f.model_dump() for f in root_causes(cg, decline)],
        "paper_roots": [
            cg.ref(r).model_dump()
            for r in paper_roots(
                cg, [e for e in load_explanations(store) if e.iri.startswith(prefix)]
            )
        ],
        "outcomes": [f.model_dump() for f in outcomes(cg)],
        "decline": cg.ref(decline).model_dump() if decline else None,
        "factors": [
            {"id": f.id, "iri": f.iri, "en": f.en, "zh": f.zh}
            for f in cg.factors.values()
            if cg.in_model(f.iri)
        ],
        "counts": {k: len(g.of_kind(k)) for k in network.NODE_KINDS},
    }


@router.get("/api/view/loops", summary="The feedback loops the paper states")
def view_loops(request: Request, store: StoreDep, prefix: PaperPrefixDep) -> dict[str, Any]:
    found = views.stated_loops(store, state.view_graph(request, store, prefix))
    return {"data": found, "count": len(found)}


@router.get("/api/view/policies", summary="Policies by target and actor, and the gaps")
def view_policies(request: Request, store: StoreDep, prefix: PaperPrefixDep) -> dict[str, Any]:
    """Computed once per app and store (about 0.3 s on the paper: every path from each policy's
    targets to the outcome)."""
    g = state.view_graph(request, store, prefix)
    found: dict[str, Any] = state.cached(
        request, store, f"policies {prefix}", lambda: views.policy_map(store, g)
    )
    return found


@router.get("/api/view/regions", summary="The regional division with member provinces")
def view_regions(request: Request, store: StoreDep, prefix: PaperPrefixDep) -> dict[str, Any]:
    found = views.regions(store, state.view_graph(request, store, prefix))
    return {"data": found, "count": len(found)}


@router.get("/api/view/charts", summary="How the paper's data are charted (its check file)")
def view_charts(request: Request, settings: SettingsDep, prefix: PaperPrefixDep) -> dict[str, Any]:
    """The `charts` section of the paper's check file (series, areas, titles), the division's
    name and the data no one has (sources of `no-public-data` checks): read from the paper's
    corpus folder (web/papers.py), like the source text; empty without a check file or folder."""
    documents: list[str] = request.app.state.documents
    folder = papers.corpus_folder(settings, state.paper_at(request, prefix), len(documents) <= 1)
    spec = read_spec(folder) if folder is not None else Spec.empty()
    division = spec.data.division
    missing = [
        {"check": c.id, "source": c.source.id, "label": c.source.label.model_dump(), "note": c.note}
        for c in spec.data.checks
        if isinstance(c, NoPublicData) and c.source is not None
    ]
    return {
        **spec.data.charts.model_dump(),
        "division": division.label.model_dump() if division is not None else None,
        "no_public_data": missing,
    }


@router.get("/api/view/geo/china", include_in_schema=False)
def view_geo(settings: SettingsDep) -> FileResponse:
    found = assets.china_geojson(settings.data_dir, settings.node_modules)
    if found is None:
        raise NotFound("no province boundaries: configure the data dir or run scripts/setup")
    return FileResponse(found, media_type="application/geo+json")


@router.get("/api/view/reader", summary="The paper's text cut at every anchored span")
def view_reader(
    request: Request, store: StoreDep, prefix: PaperPrefixDep, settings: SettingsDep
) -> dict[str, Any]:
    text = state.paper_source(request, settings, store, prefix)
    if text is None:
        return {"available": False, "blocks": [], "items": {}}
    g = state.view_graph(request, store, prefix)
    spans = source.anchored_spans(store, g)
    return {"available": True, **source.blocks(text, spans, g), "spans": len(spans)}


@router.get(
    "/api/view/queries", summary="Example SPARQL queries (the corpus folder's queries/*.rq)"
)
def view_queries(settings: SettingsDep) -> dict[str, Any]:
    found = []
    folder = settings.example_queries or settings.corpus / "queries"
    if folder is not None and folder.is_dir():
        for path in sorted(folder.glob("*.rq")):
            text = path.read_text(encoding="utf-8")
            comment = [ln.lstrip("# ").rstrip() for ln in text.splitlines() if ln.startswith("#")]
            found.append(
                {"name": path.stem, "title": comment[0] if comment else path.stem, "query": text}
            )
    return {"data": found, "count": len(found)}
