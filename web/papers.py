"""Which paper a viewer page or /api/view/... request speaks of, and where that paper's files are.

A store may hold several papers. Every viewer page and view takes `?paper=<paper>` (the last
segment of its document IRI); without it, the first paper (in IRI order). The files the viewer
reads besides the graph are found per paper, by the layout the settings point into:

- the annotation folder (its `data/checks.yaml` holds the charts): the folder the settings list
  for it (`--corpus A --corpus B`), else `settings.corpus` for the
  paper of that name (or the only paper), else `<settings.corpus>/../<paper>/` (papers side by
  side, as in `corpus/`);
- the text: the one the settings pair with its folder, else `settings.source` for the first
  paper, else `<settings.source>/../../<paper>/paper.md`
  (the `shared/corpus/<paper>/paper.md` layout) or `<settings.source>/../<paper>.md`. A text is
  only taken for a paper whose graph records another text's digest (`arg:sourceSha256`) when its
  own digest is that one, so one paper's offsets never cut another paper's text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from api.settings import Settings
from errors import ArgraphError
from graph import repo
from graph.namespaces import ARG
from graph.store import Store


@dataclass(frozen=True)
class Paper:
    id: str
    prefix: str
    """`{base}id/{paper}/`: an item id appended gives the item's IRI"""
    default: bool


def paper_of(prefix: str, default_prefix: str) -> Paper:
    return Paper(prefix.rstrip("/").rsplit("/", 1)[-1], prefix, prefix == default_prefix)


def _listed(settings: Settings, paper: Paper) -> tuple[Path, Path | None] | None:
    """The paper's folder and text as the settings list them (`--corpus A --corpus B`)."""
    try:
        pairs = settings.papers()
    except ArgraphError:
        return None
    for folder, text in pairs:
        if Path(folder).name == paper.id:
            return Path(folder), text
    return None


def corpus_folder(settings: Settings, paper: Paper, alone: bool) -> Path | None:
    """The paper's annotation folder, if the settings lead to one: the folder listed for it,
    else (`alone`: the only paper loaded) the configured one whatever its name, else a sibling."""
    listed = _listed(settings, paper)
    if listed is not None:
        return listed[0]
    configured = Path(settings.corpus)
    if configured.name == paper.id or alone:
        return configured
    sibling = configured.parent / paper.id
    return sibling if (sibling / "paper.yaml").is_file() else None


def source_candidates(settings: Settings, paper: Paper) -> list[Path]:
    """The paths where the paper's text may be, in the order they are tried."""
    listed = _listed(settings, paper)
    first = [listed[1]] if listed is not None and listed[1] is not None else []
    if settings.source is None:
        return first
    configured = Path(settings.source)
    found = first + ([configured] if paper.default and configured not in first else [])
    for path in (
        configured.parent.parent / paper.id / "paper.md",
        configured.parent / f"{paper.id}.md",
    ):
        if path not in found and (path != configured or paper.default):
            found.append(path)
    return found


def recorded_digest(store: Store, paper: Paper) -> str | None:
    """The SHA-256 of the text the paper was anchored against, as its graph records it."""
    node = repo.nodes_of_class(store, str(ARG.Document)).get(paper.prefix.rstrip("/"))
    return node.first(str(ARG.sourceSha256)) if node is not None else None


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
