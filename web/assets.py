"""Where the viewer's front-end files come from: its own `static/`, pyvis's bundled vis-network,
and npm packages installed by `scripts/setup` into `node_modules/` (never copied into the repo)."""

from __future__ import annotations

import importlib.util
import mimetypes
from pathlib import Path

WEB = Path(__file__).resolve().parent
STATIC = WEB / "static"
TEMPLATES = WEB / "templates"

# /vendor/<name>/... -> (package folder inside node_modules or a Python package, sub-folder)
NPM_VENDOR = {
    "echarts": ("echarts", ""),
    "yasgui": ("@zazuko/yasgui", "build"),
}
CHINA_GEOJSON = ("china-provinces-geojson-echarts4", "china_provinces.geojson")

mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("text/javascript", ".mjs")
mimetypes.add_type("text/css", ".css")
mimetypes.add_type("application/json", ".map")


def vendor_root(name: str, node_modules: Path | None) -> Path | None:
    """The folder a /vendor/<name>/ path is served from: pyvis's vis-network, or an npm package
    inside `node_modules` (the settings' `node_modules`)."""
    if name == "vis":
        # found, not imported: importing pyvis imports IPython (about 0.1 s a process)
        spec = importlib.util.find_spec("pyvis")
        if spec is None or spec.origin is None:
            return None
        return Path(spec.origin).resolve().parent / "lib" / "vis-9.1.2"
    if name in NPM_VENDOR:
        if node_modules is None:
            return None
        package, sub = NPM_VENDOR[name]
        root = node_modules / package / sub
        return root if root.is_dir() else None
    return None


def safe_file(root: Path | None, relative: str) -> Path | None:
    """`root/relative` if it is a file inside `root` (no `..`, no absolute paths, no symlink out)."""
    if root is None or not relative or relative.startswith("/") or "\\" in relative:
        return None
    base = root.resolve()
    target = (base / relative).resolve()
    if not target.is_relative_to(base) or not target.is_file():
        return None
    return target


def china_geojson(data_dir: Path | None, node_modules: Path | None) -> Path | None:
    """Province boundaries: the configured data dir first, else the echarts 4.9 package's map."""
    if data_dir is not None:
        candidate = data_dir.joinpath(*CHINA_GEOJSON)
        if candidate.is_file():
            return candidate
    if node_modules is not None:
        candidate = node_modules / "echarts" / "map" / "json" / "china.json"
        if candidate.is_file():
            return candidate
    return None
