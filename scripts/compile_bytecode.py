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

The test modules (conftest.py, test_*.py) are not imported as other modules are: pytest
rewrites their asserts and keeps the result in files of its own beside the bytecode
(`__pycache__/test_x.cpython-311-pytest-9.2.0.pyc`). On a fresh clone each worker rewrote all of
them, about 2.3 s of CPU a worker; they are rewritten here once, by pytest's own rewriter, into
the files its import hook reads (`rewrite_test_modules`).

Usage: python scripts/compile_bytecode.py [--quiet]. Exit 0 even where a file fails to compile
(Python reports that file again when it is imported); exit 2 on bad usage.
"""

from __future__ import annotations

import compileall
import fnmatch
import importlib.util
import os
import re
import sys
import tomllib
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from types import CodeType
from typing import IO, Any

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


TEST_MODULES = ("conftest.py", "test_*.py", "*_test.py")
"""The files pytest rewrites under tests/: conftest files, and its default `python_files`
(pyproject.toml sets no other)."""


def rewrite_test_modules(folder: Path) -> int:
    """Rewrite the asserts of the test modules under `folder` as pytest does, into the file its
    import hook reads first; return how many were written.

    pytest's rewriter is private (`_pytest.assertion.rewrite`), so this uses it only where it is
    what this expects, and otherwise writes nothing: the workers then rewrite as before, only
    slower. A file written here is never wrong where the hook reads it: it is pytest's own
    output, in pytest's own format, and the hook checks it against the hash of the source before
    it uses it (an out-of-date one is rewritten). The assertion pass hook, an ini option of
    pytest's that this project does not set, is left off, as pytest leaves it by default."""
    try:
        from _pytest.assertion import rewrite as pytest_rewrite

        # its config is only read for the assertion pass hook: None leaves the hook off
        rewrite: Callable[[Path, Any], tuple[bytes, CodeType]] = pytest_rewrite._rewrite_test
        write: Callable[[IO[bytes], bytes, CodeType], None] = pytest_rewrite._write_pyc_fp
        cache_dir: Callable[[Path], Path] = pytest_rewrite.get_cache_dir
        tail: str = pytest_rewrite.PYC_TAIL
    except (ImportError, AttributeError):
        return 0
    written = 0
    for source in sorted(folder.rglob("*.py")):
        if not any(fnmatch.fnmatch(source.name, pattern) for pattern in TEST_MODULES):
            continue
        try:
            source_hash, code = rewrite(source, None)
            folder_of_pyc = cache_dir(source)
            folder_of_pyc.mkdir(parents=True, exist_ok=True)
            pyc = folder_of_pyc / (source.name[:-3] + tail)
            partial_pyc = pyc.with_name(f"{pyc.name}.{os.getpid()}")
            with partial_pyc.open("wb") as fp:
                write(fp, source_hash, code)
            os.replace(partial_pyc, pyc)  # whole or not at all, as pytest writes it
        except (OSError, SyntaxError, ValueError, TypeError):
            continue  # this file is rewritten by each worker, as before
        written += 1
    return written


def main(argv: list[str]) -> int:
    if argv not in ([], ["--quiet"]):
        print("usage: python scripts/compile_bytecode.py [--quiet]", file=sys.stderr)
        return 2
    quiet = 2 if argv else 1  # 1: the files that fail are named; 2: nothing is printed
    folders = project_packages() + installed_packages()
    # a folder a task, on as many processes as cores, in one pool: compileall's own `workers`
    # starts a pool for each folder, which cost half as much CPU again as the compiling
    with ProcessPoolExecutor(os.cpu_count()) as pool:
        rewritten = pool.submit(rewrite_test_modules, REPO / "tests")
        list(pool.map(partial(compile_folder, quiet=quiet), folders))
        rewritten.result()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
