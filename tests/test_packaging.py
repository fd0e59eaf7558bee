"""The wheel ships every package and resource of the layout, and works installed away from the
checkout: the package list in pyproject.toml is the one list (the type checker reads it too)."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from fnmatch import fnmatch
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
FIND = PYPROJECT["tool"]["setuptools"]["packages"]["find"]
PACKAGE_DATA: dict[str, list[str]] = PYPROJECT["tool"]["setuptools"]["package-data"]
ROOTS = [pattern.rstrip("*") for pattern in FIND["include"]]

PIP_WHEEL = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]

# what a build never needs (and what would make the copy slow)
_SKIP = {".git", ".venv", "node_modules", "dist", "build", "test-artifacts", ".typecheck"}


def _tracked_files() -> list[str]:
    out = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, check=True, capture_output=True
    ).stdout.decode()
    return [f for f in out.split("\0") if f and f.split("/")[0] not in _SKIP]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    """A wheel built from a copy of the committed tree (the checkout stays clean)."""
    src = tmp_path_factory.mktemp("src")
    for name in _tracked_files():
        target = src / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((REPO / name).read_bytes())
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [*PIP_WHEEL, "-w", str(out), str(src)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("argraph-*.whl")
    return zipfile.ZipFile(built)


def _packages_on_disk() -> set[str]:
    """Every folder under the listed roots that holds Python modules (a package by layout)."""
    found = set()
    for root in ROOTS:
        for init in (REPO / root).rglob("*.py"):
            rel = init.parent.relative_to(REPO)
            if "__pycache__" not in rel.parts:
                found.add(".".join(rel.parts))
    return found


def test_every_package_of_the_layout_is_in_the_wheel(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    on_disk = _packages_on_disk()
    assert {"errors", "ingest", "graph", "graph.stores", "api.routes", "web", "argraph"} <= on_disk
    missing = sorted(p for p in on_disk if f"{p.replace('.', '/')}/__init__.py" not in names)
    assert not missing, f"packages on disk that the wheel lacks: {missing}"
    strays = sorted(n for n in names if n.endswith(".py") and n.split("/")[0] not in ROOTS)
    assert not strays, f"modules outside the listed packages: {strays}"


def test_every_resource_is_in_the_wheel(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    tracked = _tracked_files()
    expected = []
    for package, patterns in PACKAGE_DATA.items():
        folder = package.replace(".", "/") + "/"
        for name in tracked:
            if name.startswith(folder) and any(
                fnmatch(name[len(folder) :], pattern) for pattern in patterns
            ):
                expected.append(name)
    assert any(n.startswith("ontology/") and n.endswith(".ttl") for n in expected)
    assert any(n.startswith("web/static/") for n in expected)
    assert any(n.startswith("corpus/") and n.endswith("paper.yaml") for n in expected)
    missing = sorted(set(expected) - names)
    assert not missing, f"resources the wheel lacks: {missing}"
    # and nothing the package reads at run time is left out of package-data
    for folder in ("web/templates", "web/static", "ontology"):
        on_disk = {n for n in tracked if n.startswith(folder + "/") and not n.endswith(".py")}
        assert on_disk <= names, sorted(on_disk - names)


def test_the_installed_wheel_works_away_from_the_checkout(
    wheel: zipfile.ZipFile, tmp_path: Path
) -> None:
    """Installed into a bare folder and run from elsewhere: the ontology, the viewer's templates
    and the paper's annotations are read through the packages, not a repository root."""
    target = tmp_path / "site"
    wheel.extractall(target)
    script = (
        "import pathlib, sys\n"
        "import api.settings, graph.store, web.assets, ontology, corpus, argraph.app\n"
        "for m in (api.settings, graph.store, web.assets, ontology, corpus, argraph.app):\n"
        "    assert pathlib.Path(m.__file__).is_relative_to(sys.argv[1]), m.__file__\n"
        "assert len(ontology.load_shapes()) > 0\n"
        "assert (web.assets.TEMPLATES / 'page.html').is_file()\n"
        "assert (api.settings.Settings().corpus / 'paper.yaml').is_file()\n"
        "print('ok')\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARGRAPH_")}
    env["PYTHONPATH"] = str(target)
    done = subprocess.run(
        [sys.executable, "-c", script, str(target)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_a_working_folder_named_like_a_package_does_not_shadow_it(tmp_path: Path) -> None:
    """A user's own corpus/ (or graph/) folder in the working directory is not taken for the
    package: the packages are regular packages found ahead of such folders."""
    for name in ("corpus", "graph", "api"):
        (tmp_path / name).mkdir()
    script = (
        "import sys, pathlib, corpus, graph.store, api.settings\n"
        "for m in (corpus, graph.store, api.settings):\n"
        "    assert m.__file__ and not pathlib.Path(m.__file__).is_relative_to(sys.argv[1]), m\n"
        "print(api.settings.Settings().corpus.name)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "liu-tong-2021"
