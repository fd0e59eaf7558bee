"""/docs: Swagger UI from the npm package swagger-ui-dist (installed by `scripts/setup` into
node_modules), never from a CDN. Its files are served under /docs-assets/; the page's one inline
script is allowed by its hash in the page's own Content-Security-Policy, so the global policy
stays without inline scripts. ReDoc has no packaged copy here, so /redoc is not served."""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

from api.deps import SettingsDep
from api.security import csp_with_script_hashes
from errors import NotFound
from web import assets

router = APIRouter(include_in_schema=False)
ASSETS = "/docs-assets"
_INLINE = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def swagger_page(openapi_url: str, title: str) -> HTMLResponse:
    page = get_swagger_ui_html(
        openapi_url=openapi_url,
        title=f"{title} - API",
        swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS}/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
        oauth2_redirect_url=None,
        swagger_ui_parameters={"validatorUrl": None},  # no badge fetched from swagger.io
    )
    html = bytes(page.body).decode("utf-8")
    hashes = [
        "sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode()
        for s in _INLINE.findall(html)
    ]
    return HTMLResponse(html, headers={"Content-Security-Policy": csp_with_script_hashes(*hashes)})


@router.get("/docs")
def docs(request: Request) -> HTMLResponse:
    app = request.app
    return swagger_page(app.openapi_url or "/openapi.json", app.title)


@router.get(ASSETS + "/{path:path}")
def docs_assets(path: str, settings: SettingsDep) -> FileResponse:
    modules = settings.node_modules
    root = modules / "swagger-ui-dist" if modules is not None else None
    found = assets.safe_file(root, path) if root is not None and root.is_dir() else None
    if found is None:
        raise NotFound(f"no file {path!r} in swagger-ui-dist (run scripts/setup)")
    return FileResponse(found)
