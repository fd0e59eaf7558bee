"""One settings object for the CLI, the build and the service (env prefix ARGRAPH_)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

import corpus
from errors import BadRequest
from graph.iris import DEFAULT_BASE
from ingest.safe_read import MAX_FILE_BYTES, MAX_TOTAL_BYTES

REPO_ROOT = Path(__file__).resolve().parent.parent


def _default_corpus() -> Path:
    """The paper folder shipped in the `corpus` package (the first by name, if several)."""
    roots = [Path(p) for p in corpus.__path__]  # one folder; more only if shadowed (namespace)
    papers = sorted(p for r in roots for p in r.iterdir() if (p / "paper.yaml").is_file())
    return papers[0] if papers else roots[0]


def _default_source() -> Path | None:
    """`shared/corpus/<paper>/paper.md` beside the checkout, for the default paper."""
    return _shared("corpus", _default_corpus().name, "paper.md")


def _shared(*parts: str) -> Path | None:
    """`shared/` beside the checkout (or beside the working directory), if it is there."""
    for root in (REPO_ROOT.parent, Path.cwd().parent):
        candidate = root.joinpath("shared", *parts)
        if candidate.exists():
            return candidate
    return None


def _node_modules() -> Path | None:
    """`node_modules/` of the checkout (where `scripts/setup` installs the viewer's npm packages),
    else of the working directory."""
    for root in (REPO_ROOT, Path.cwd()):
        candidate = root / "node_modules"
        if candidate.is_dir():
            return candidate
    return None


class Settings(BaseSettings):
    """Everything configurable. Defaults suit a checkout beside the project's `shared/` folder."""

    model_config = SettingsConfigDict(env_prefix="ARGRAPH_", extra="ignore")

    corpus: Path = Field(
        default_factory=_default_corpus,
        description="annotation folder (the first paper's, when several are given); "
        f"ARGRAPH_CORPUS takes several, separated by {os.pathsep!r}",
    )
    source: Path | None = Field(
        default_factory=_default_source,
        description="the paper's text; quotes are re-anchored against it when given "
        "(the first paper's, when several are given)",
    )
    corpora: list[Path] = Field(
        default_factory=list,
        description="every paper built and served together, in order (`corpus` is the first); "
        "empty: `corpus` alone",
    )
    sources: list[Path] | None = Field(
        default=None,
        description="the texts of `corpora`, paired in order; a paper without one takes its own "
        "(shared/corpus/<paper>/paper.md), else is built from its anchors.lock.yaml; "
        f"ARGRAPH_SOURCE takes several, separated by {os.pathsep!r}",
    )
    data_dir: Path | None = Field(
        default_factory=lambda: _shared("data"),
        description="public data tables (NBS, Wikidata ids); optional",
    )
    node_modules: Path | None = Field(
        default_factory=_node_modules,
        description="the npm packages the viewer serves (installed by scripts/setup); "
        "without them /vendor/... and /docs assets answer 404",
    )
    example_queries: Path | None = Field(
        default=None,
        description="folder of example SPARQL queries (*.rq) the viewer's query page offers "
        "(default: the corpus folder's queries/)",
    )
    dist: Path = Field(default=Path("dist"), description="build output folder")
    base_iri: str = Field(default=DEFAULT_BASE, pattern=r"^https?://.+/$")

    store: Literal["oxigraph", "oxigraph-disk", "rdflib", "remote"] = "oxigraph"
    store_path: Path | None = None
    remote_query_url: str | None = None
    remote_update_url: str | None = None
    remote_graph_store_url: str | None = None
    remote_user: str | None = None
    remote_password: str | None = None

    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout_s: float = Field(default=10.0, gt=0)
    max_rows: int = Field(default=10_000, gt=0)
    max_result_bytes: int = Field(default=20_000_000, gt=0)
    max_query_bytes: int = Field(default=200_000, gt=0)
    max_nesting: int = Field(default=64, gt=0)
    max_operators: int = Field(
        default=1000,
        gt=0,
        description="most operators (OPTIONAL, UNION, BIND, VALUES, MINUS, paths) in one query",
    )
    max_concurrent_queries: int = Field(
        default=8,
        gt=0,
        description="queries running at once (query workers); one client runs at most half",
    )
    cors_origins: list[str] = Field(default_factory=lambda: ["*"])
    query_isolation: Literal["process", "thread"] = Field(
        default="process",
        description="run /sparql queries in killable worker processes (embedded stores) or threads",
    )
    retry_after_s: int = Field(default=2, gt=0, description="Retry-After of a 503 when busy")
    queue_wait_s: float = Field(
        default=5.0,
        ge=0,
        description="how long a query waits for a free slot before a 503 (Retry-After)",
    )
    max_queued_queries: int | None = Field(
        default=None,
        gt=0,
        description="queries waiting for a slot beyond which a 503 comes at once "
        "(default 8 x max_concurrent_queries)",
    )
    max_queries_per_client: int | None = Field(
        default=None,
        gt=0,
        description="queries one client (remote host) runs at once "
        "(default half of max_concurrent_queries, rounded up)",
    )
    worker_memory_mb: int | None = Field(
        default=2048,
        ge=64,
        description="memory a query worker may take beyond its opened store (RLIMIT_DATA); "
        "a query that needs more ends its worker, which is replaced (500); None: no cap",
    )
    require_network_isolation: bool = Field(
        default=False,
        description="refuse to start when query workers cannot be cut off from the network "
        "(a network namespace of their own; needs root or unprivileged user namespaces)",
    )
    max_input_file_bytes: int = Field(
        default=MAX_FILE_BYTES,
        gt=0,
        description="the largest annotation, lock, source or data file a build reads",
    )

    @model_validator(mode="before")
    @classmethod
    def _several_papers(cls, data: Any) -> Any:
        """`corpus` / `source` given as several paths (a list, or one string of paths joined by
        os.pathsep, as ARGRAPH_CORPUS): the first is `corpus` / `source`, all are `corpora` /
        `sources`."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for one, many in (("corpus", "corpora"), ("source", "sources")):
            paths = _several(data.get(one))
            if paths is not None:
                data[one] = paths[0] if paths else None
                data.setdefault(many, paths)
        if data.get("corpora") and "corpus" not in data:
            data["corpus"] = data["corpora"][0]
        return data

    def papers(self) -> list[tuple[Path, Path | None]]:
        """Every paper to build or serve, with its text: `corpus` and `source` alone (exactly
        as for one paper), or each of `corpora` with the source given in the same place, else
        its own text (`shared/corpus/<paper>/paper.md`), else none."""
        given_n = len(self.sources or ())
        if given_n > max(1, len(self.corpora)):
            raise BadRequest(
                f"{given_n} texts for {max(1, len(self.corpora))} paper(s): give at most one "
                "--source per --corpus, in the same order"
            )
        if len(self.corpora) <= 1:
            return [(self.corpus, self.source)]
        if self.source is None and not self.sources:  # --no-source: every paper from its lock
            return [(Path(folder), None) for folder in self.corpora]
        given = self.sources if self.sources is not None else []
        if self.sources is None and self.source is not None and self.source != _default_source():
            given = [self.source]
        out: list[tuple[Path, Path | None]] = []
        for i, folder in enumerate(self.corpora):
            own = given[i] if i < len(given) else _shared("corpus", Path(folder).name, "paper.md")
            out.append((Path(folder), own))
        return out

    max_input_bytes: int = Field(
        default=MAX_TOTAL_BYTES,
        gt=0,
        description="the most a build reads from all its input files together",
    )


def _several(value: Any) -> list[Any] | None:
    """The paths of a value that names several (a list or tuple, or a string with os.pathsep);
    None for a single path or none."""
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, str) and os.pathsep in value:
        return [part for part in value.split(os.pathsep) if part]
    return None
