"""The viewer's corpus page (/corpus): the loaded papers side by side, which papers posit,
accept, qualify or reject each explanation (with their quotes), the factors aligned across
papers, and the chains and loops that run through several papers. The page is the viewer's
shared template with `web/static/corpus.js`, which reads /api/corpus/... (api/routes/corpus.py)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from web import assets
from web.routes import PAGES

router = APIRouter(tags=["viewer"])

TITLE = "Papers compared"
_env = Environment(loader=FileSystemLoader(assets.TEMPLATES), autoescape=select_autoescape())


@router.get("/corpus", include_in_schema=False)
def corpus_page(request: Request) -> HTMLResponse:
    lang = "zh" if request.query_params.get("lang") == "zh" else "en"
    html = _env.get_template("page.html").render(
        page="corpus",
        title=TITLE,
        pages={**PAGES, "corpus": TITLE},
        base_iri=request.app.state.base_iri,
        lang=lang,
        doc=None,
        data=None,
    )
    return HTMLResponse(html)
