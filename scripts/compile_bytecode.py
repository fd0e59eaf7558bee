"""Compile, once and in parallel, the bytecode of what every test worker imports while collecting.

`bash scripts/test` runs this beside the lint, before pytest starts its workers. On a fresh
clone nothing is compiled yet (scripts/setup installs without bytecode), and the three workers
would each compile the same thousand-odd modules at the same moment: about 7 s of CPU each
(a cold `pytest --collect-only` took 10.4 s here, a warm one 3.1 s). `compileall` does it once
in a few seconds of CPU, spread over the cores, and executes nothing.

PACKAGES are the installed packages whose modules a collection imports: the top-level names
under `.venv/lib/python3.*/site-packages` that hold `.pyc` files after a cold
`pytest --collect-only`, except pygments (22 of its 343 modules). A name no longer installed is
passed over; one missing from the list is compiled by the workers, as before: only slower,
never wrong.

Usage: python scripts/compile_bytecode.py [--quiet]. Exit 0 even where a file fails to compile
(Python reports that file again when it is imported); exit 2 on bad usage.
"""

from __future__ import annotations

import compileall
import importlib.util
import os
import re
import sys
import tomllib
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = (
    "networkx",
    "_pytest",
    "hypothesis",
    "pydantic",
    "rdflib",
    "rich",
    "fastapi",
    "typer",
    "starlette",
    "httpx",
    "pydantic_settings",
    "uvicorn",
    "jinja2",
    "anyio",
    "yaml",
    "html5rdf",
    "pluggy",
    "click",
    "pyparsing",
    "execnet",
    "xdist",
    "opentelemetry",
    "httpx2",
    "SPARQLWrapper",
    "idna",
    "sortedcontainers",
    "dotenv",
    "typing_inspection",
    "iniconfig",
)


def project_packages() -> list[Path]:
    """The checkout's packages, as pyproject.toml lists them, the tests and the benchmarks."""
    with (REPO / "pyproject.toml").open("rb") as f:
        include = tomllib.load(f)["tool"]["setuptools"]["packages"]["find"]["include"]
    names = sorted({pattern.split(".")[0].rstrip("*") for pattern in include})
    return [REPO / name for name in names if (REPO / name).is_dir()] + [
        REPO / "tests",
        REPO / "bench",
    ]


def installed_packages() -> list[Path]:
    found: list[Path] = []
    for name in PACKAGES:
        spec = importlib.util.find_spec(name)  # finds, does not import
        if spec is not None and spec.submodule_search_locations:
            found.extend(Path(p) for p in spec.submodule_search_locations)
    return found


def compile_folder(folder: Path, quiet: int) -> None:
    # not the package's own test suite, if it ships one
    tests = re.compile(re.escape(str(folder)) + r"[/\\](?:.*[/\\])?(?:tests?|testing)[/\\]")
    compileall.compile_dir(folder, quiet=quiet, rx=tests)


def main(argv: list[str]) -> int:
    if argv not in ([], ["--quiet"]):
        print("usage: python scripts/compile_bytecode.py [--quiet]", file=sys.stderr)
        return 2
    quiet = 2 if argv else 1  # 1: the files that fail are named; 2: nothing is printed
    folders = project_packages() + installed_packages()
    # a folder a task, on as many processes as cores, in one pool: compileall's own `workers`
    # starts a pool for each folder, which cost half as much CPU again as the compiling
    with ProcessPoolExecutor(os.cpu_count()) as pool:
        list(pool.map(partial(compile_folder, quiet=quiet), folders))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
