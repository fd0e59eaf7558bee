"""scripts/compile_bytecode.py: what `bash scripts/test` compiles before the test workers start."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

from tests.conftest import REPO

SCRIPT = REPO / "scripts" / "compile_bytecode.py"


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("compile_bytecode", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_checkouts_packages_tests_and_benchmarks_are_compiled() -> None:
    with (REPO / "pyproject.toml").open("rb") as f:
        include = tomllib.load(f)["tool"]["setuptools"]["packages"]["find"]["include"]
    tops = {pattern.split(".")[0].rstrip("*") for pattern in include}
    folders = load().project_packages()
    assert {p.name for p in folders} == tops | {"tests", "bench"}
    assert all(p.is_dir() and p.parent == REPO for p in folders)


def test_listed_packages_are_found_without_being_imported() -> None:
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import compile_bytecode as c; "
        "found = {p.name for p in c.installed_packages()}; "
        "print(json.dumps([sorted(found), sorted(found & set(sys.modules))]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(SCRIPT.parent)], capture_output=True, text=True, check=True
    )
    found, imported = json.loads(result.stdout)
    assert {"networkx", "rdflib", "fastapi", "hypothesis"} <= set(found)
    assert imported == []


def test_a_folder_is_compiled_but_for_its_own_test_suite(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    for path in ("pkg/__init__.py", "pkg/sub/mod.py", "pkg/tests/test_x.py", "pkg/sub/test/t.py"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("X = 1\n", encoding="utf-8")
    load().compile_folder(package, quiet=2)
    compiled = {p.parent.parent.relative_to(tmp_path) for p in tmp_path.rglob("*.pyc")}
    assert compiled == {Path("pkg"), Path("pkg/sub")}


def test_a_file_that_does_not_compile_is_named_and_the_rest_compiled(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "good.py").write_text("X = 1\n", encoding="utf-8")
    (package / "bad.py").write_text("def (:\n", encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, sys.argv[1]); import compile_bytecode as c; "
            "c.compile_folder(__import__('pathlib').Path(sys.argv[2]), quiet=1)",
            str(SCRIPT.parent),
            str(package),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "bad.py" in result.stdout + result.stderr
    assert [p.name.split(".")[0] for p in package.rglob("*.pyc")] == ["good"]


def test_usage() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--bogus"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2 and "usage:" in result.stderr


def test_test_modules_are_rewritten_once_where_pytest_reads_them(tmp_path: Path) -> None:
    """The rewritten test modules are the files pytest's import hook reads: a run of pytest after
    the script rewrites none (the file is not written again although pytest may write), its
    failing assert still explains itself, and without the file pytest writes it."""
    tests = tmp_path / "tests"
    tests.mkdir()
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tests / "conftest.py").write_text("import pytest\n", encoding="utf-8")
    (tests / "helper.py").write_text("X = 1\n", encoding="utf-8")
    (tests / "test_x.py").write_text("def test_x():\n    x = 1\n    assert x == 2\n", "utf-8")
    assert load().rewrite_test_modules(tests) == 2
    written = sorted(p.name for p in (tests / "__pycache__").glob("*-pytest-*.pyc"))
    assert [name.split(".")[0] for name in written] == ["conftest", "test_x"]
    pyc = next((tests / "__pycache__").glob("test_x.*-pytest-*.pyc"))

    def run_pytest() -> str:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "tests/test_x.py"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 1, result.stdout + result.stderr
        return result.stdout

    before = pyc.stat().st_mtime_ns
    assert "assert 1 == 2" in run_pytest()
    assert pyc.stat().st_mtime_ns == before
    pyc.unlink()
    run_pytest()
    assert pyc.exists()
