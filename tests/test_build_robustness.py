"""Bad inputs to the build beyond the annotation cases of test_bad_inputs.py: data files, a
truncated lock file, a symlink loop, an output folder that cannot be written; and property-
based tests that mutate the mini corpus at random (any mutation builds or fails cleanly) and
with hostile values (control characters, deep nesting, long strings, tags, self relations,
duplicates: always refused). Every failure is one clear line (exit 2, no traceback) and leaves
the previous output exactly as it was. Devices, FIFOs and oversized files are in
test_input_limits.py (child processes under a memory limit)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from argraph.cli import app
from graph.store import OxigraphStore

from .conftest import MINI_CORPUS, MINI_SOURCE

runner = CliRunner()
TABLE = Path("wikidata-cn-provinces") / "cn_province_wikidata.csv"


def build(
    corpus: Path, dist: Path, *extra: str, source: Path | None = MINI_SOURCE
) -> tuple[int, str]:
    args = ["build", "--corpus", str(corpus), "--dist", str(dist), "-q"]
    args += ["--source", str(source)] if source else ["--no-source"]
    result = runner.invoke(app, [*args, *extra])
    return result.exit_code, result.output


def snapshot(dist: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(dist.iterdir())}


def assert_clean(code: int, out: str, *needles: str) -> None:
    assert code == 2, out
    assert "Traceback" not in out and "internal error" not in out, out
    for needle in needles:
        assert needle in out, out


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini corpus built by the command, once for the module."""
    dist = tmp_path_factory.mktemp("reference") / "dist"
    code, out = build(MINI_CORPUS, dist)
    assert code == 0, out
    return dist


@pytest.fixture()
def built(reference: Path, tmp_path: Path) -> Path:
    """A previous build's output, which a failed build must leave exactly as it was."""
    dist = tmp_path / "dist"
    shutil.copytree(reference, dist)
    return dist


@pytest.mark.parametrize(
    ("content", "needles"),
    [
        (b"key,wikidata\nCN-LN\n", ("cn_province_wikidata.csv:2", "field 'wikidata'")),
        (b"key,wikidata\nCN-LN,Q43934\n\xff\xfe,Q1\n", ("cn_province_wikidata.csv:3", "UTF-8")),
        (b"province,qid\nCN-LN,Q43934\n", ("cn_province_wikidata.csv:1", "missing column")),
        (b"", ("cn_province_wikidata.csv:1", "missing column")),
    ],
    ids=["short-row", "not-utf8", "wrong-header", "empty"],
)
def test_bad_data_file(
    built: Path, tmp_path: Path, content: bytes, needles: tuple[str, ...]
) -> None:
    before = snapshot(built)
    table = tmp_path / "data" / TABLE
    table.parent.mkdir(parents=True)
    table.write_bytes(content)
    code, out = build(MINI_CORPUS, built, "--data", str(tmp_path / "data"))
    assert_clean(code, out, *needles)
    assert snapshot(built) == before


@pytest.mark.parametrize("source", [None, MINI_SOURCE], ids=["from-lock", "with-source"])
def test_truncated_lock_file(built: Path, mini_corpus: Path, source: Path | None) -> None:
    before = snapshot(built)
    lock = mini_corpus / "anchors.lock.yaml"
    text = lock.read_bytes()
    lock.write_bytes(text[: len(text) // 2 - 7])
    code, out = build(mini_corpus, built, source=source)
    assert_clean(code, out, "anchors.lock.yaml")
    assert snapshot(built) == before


def test_symlink_loop_in_the_corpus(built: Path, mini_corpus: Path) -> None:
    before = snapshot(built)
    (mini_corpus / "02-loop.yaml").symlink_to(mini_corpus / "02-loop.yaml")
    code, out = build(mini_corpus, built)
    assert_clean(code, out, "02-loop.yaml")
    assert snapshot(built) == before


def test_output_folder_that_cannot_be_written(tmp_path: Path) -> None:
    code, out = build(MINI_CORPUS, Path("/sys/argraph-test/dist"))
    assert_clean(code, out, "cannot write the build output", "/sys/argraph-test/dist")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, out = build(MINI_CORPUS, blocker / "dist")
    assert_clean(code, out, "cannot write the build output")


# -- mutated corpora -----------------------------------------------------------------------------

FILES = sorted(p.name for p in MINI_CORPUS.iterdir())
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**12),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(["share", "c-tax", "sec-1", "increases", "", "<script>", "[1]"]),
)


def _paths(node: object, here: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    out = [here]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*here, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*here, i))
    return out


def _mutate_structure(data: object, rnd: random.Random, value: object) -> object:
    paths = [p for p in _paths(data) if p]
    if not paths:
        return value
    path = rnd.choice(paths)
    parent: Any = data
    for key in path[:-1]:
        parent = parent[key]
    last: Any = path[-1]
    action = rnd.choice(["delete", "replace", "duplicate", "wrap"])
    if action == "delete":
        del parent[last]
    elif action == "replace":
        parent[last] = value
    elif action == "duplicate" and isinstance(parent, list):
        parent.append(parent[last])
    else:
        parent[last] = [parent[last]]
    return data


def _mutate_text(text: str, rnd: random.Random, junk: str) -> str:
    cut = rnd.randrange(len(text) + 1)
    action = rnd.choice(["insert", "delete-line", "truncate", "swap-lines"])
    lines = text.splitlines(keepends=True)
    if action == "insert":
        return text[:cut] + junk + text[cut:]
    if action == "truncate":
        return text[:cut]
    i, j = rnd.randrange(len(lines)), rnd.randrange(len(lines))
    if action == "delete-line":
        del lines[i]
    else:
        lines[i], lines[j] = lines[j], lines[i]
    return "".join(lines)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.sampled_from(FILES),
    structural=st.booleans(),
    seed=st.integers(0, 2**32),
    value=SCALARS,
    junk=st.sampled_from(
        [
            ":",
            "- ",
            "  x: [",
            "\t",
            "{",
            "'",
            "\x00",
            "&a",
            "*a",
            "!!python/object:os.system ''",
            "\ufeff",
            "é",
        ]
    ),
)
def test_mutated_corpus_builds_or_fails_cleanly(
    reference: Path,
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    structural: bool,
    seed: int,
    value: object,
    junk: str,
) -> None:
    work = tmp_path_factory.mktemp("mutant")
    corpus = work / "mini-paper"
    shutil.copytree(MINI_CORPUS, corpus)
    dist = work / "dist"
    shutil.copytree(reference, dist)
    before = snapshot(dist)
    rnd = random.Random(seed)
    path = corpus / name
    text = path.read_text("utf-8")
    if structural:
        data = _mutate_structure(yaml.safe_load(text), rnd, value)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    else:
        path.write_text(_mutate_text(text, rnd, junk), "utf-8")
    code, out = build(corpus, dist)
    assert "Traceback" not in out and "internal error" not in out, out
    if code == 0:
        store = OxigraphStore()
        store.load_nquads(dist / "graph.nq")  # a graph that loads (and passed SHACL)
        assert len(store) > 0
    else:
        assert code in (1, 2), out
        assert snapshot(dist) == before
        assert not [p for p in work.iterdir() if p.name.startswith(".dist")]


# -- hostile mutations: every one must be refused --------------------------------------------------

PLACEHOLDER = "__HOSTILE__"
CONTROL_CHARS = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9b", "\ufffe"]
TAGS = [
    "!!binary 5biC5Zy6",
    "!!timestamp 2001-12-14",
    "!!set {a, b}",
    "!!omap [{a: 1}]",
    "!!python/object/apply:os.system ['true']",
    "!local x",
]
SELF_RELATIONS = [  # (item, relation) pairs of the mini corpus's 01-intro.yaml
    ("c-cycle", "supports"),
    ("c-cycle", "challenges"),
    ("c-tax", "qualifies"),
    ("share", "broader"),
    ("stat-growth", "supports"),
    ("p-subsidy", "part_of"),
]


def _string_paths(node: object, here: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    return [p for p in _paths(node, here) if isinstance(_at(node, p), str) and p]


def _at(node: Any, path: tuple[object, ...]) -> Any:
    for key in path:
        node = node[key]
    return node


def _quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _hostile_text(kind: str, rnd: random.Random, char: str, depth: int, tag: str) -> str:
    data = yaml.safe_load((MINI_CORPUS / "01-intro.yaml").read_text("utf-8"))
    if kind == "self":
        item_id, relation = rnd.choice(SELF_RELATIONS)
        item = next(i for i in data["items"] if i["id"] == item_id)
        item[relation] = item_id if relation == "part_of" else [*item.get(relation, []), item_id]
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    if kind == "duplicate":
        lists = [p for p in _paths(data) if isinstance(_at(data, p), list) and len(p) == 3]
        target: list[object] = _at(data, rnd.choice(lists))
        target.append(target[rnd.randrange(len(target))])
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path = rnd.choice(_string_paths(data))
    parent = _at(data, path[:-1])
    original: str = parent[path[-1]]
    parent[path[-1]] = PLACEHOLDER
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**9)
    if kind == "control":
        # a double-quoted scalar with the character escaped (\x85 raw would be a line break)
        cut = rnd.randrange(len(original) + 1)
        before, after = (_quoted(part) for part in (original[:cut], original[cut:]))
        hostile = f'"{before}\\u{ord(char):04x}{after}"'
    else:
        hostile = {
            "deep": "[" * depth + "]" * depth,
            "big": "x" * (100_001 + depth),
            "tag": tag,
        }[kind]
    return text.replace(PLACEHOLDER, hostile, 1)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kind=st.sampled_from(["control", "deep", "big", "tag", "self", "duplicate"]),
    seed=st.integers(0, 2**32),
    char=st.sampled_from(CONTROL_CHARS),
    depth=st.integers(33, 20_000),
    tag=st.sampled_from(TAGS),
)
def test_hostile_mutations_are_refused(
    reference: Path,
    tmp_path_factory: pytest.TempPathFactory,
    kind: str,
    seed: int,
    char: str,
    depth: int,
    tag: str,
) -> None:
    work = tmp_path_factory.mktemp("hostile")
    corpus = work / "mini-paper"
    shutil.copytree(MINI_CORPUS, corpus)
    dist = work / "dist"
    shutil.copytree(reference, dist)
    before = snapshot(dist)
    text = _hostile_text(kind, random.Random(seed), char, depth, tag)
    (corpus / "01-intro.yaml").write_text(text, "utf-8")
    code, out = build(corpus, dist)
    assert_clean(code, out, "01-intro.yaml:")
    if kind in ("self", "duplicate"):
        assert "item '" in out and "field '" in out, out
    assert snapshot(dist) == before
    assert not [p for p in work.iterdir() if p.name.startswith(".dist")]
