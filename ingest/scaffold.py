"""A new paper's corpus folder: `scaffold_paper(name, root, source=None) -> Scaffold`.

Writes `root/<name>/paper.yaml` (the document record and its sections, commented field by field)
and one empty section file, `01-<section>.yaml`. Both load as they are (the annotation models and
the relation checks of `load_corpus`), so a person starts from a folder that builds and fills it
in. Every value a person must still write holds the marker `TODO`.

Without a source text the record is all placeholders, and one section. With one, what the text
prints is taken from it, as the drafting assistant reads it (`ingest/draft/text.py`): the title,
subtitle, both abstracts and every numbered section heading; `argraph anchor` then finds every
quote of the new folder, and `argraph validate` passes before a single item is written.

The folder's name becomes the paper's IRI segment (`{base}id/<name>/<item>`), so it follows the
item-id rule: lower case, digits and hyphens. An existing path is never overwritten.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from errors import BadRequest
from ingest.corpus import load_corpus
from ingest.draft.text import Document, parse, read_text

TODO = "TODO"
"""The marker of a value a person must still write (the drafting assistant's marker too)."""

NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
"""A paper's folder name: an item id (lower case, digits, hyphens), not ending in a hyphen."""


@dataclass(frozen=True)
class Scaffold:
    folder: Path
    files: list[Path]
    todo: int
    """How many values still hold the TODO marker."""


def check_name(name: str) -> str:
    """The name, or a BadRequest that says what a paper's name may be."""
    if not NAME.match(name):
        raise BadRequest(
            f"invalid paper name {name!r}: use lower-case letters, digits and hyphens "
            "(at most 80, starting and ending with a letter or digit), e.g. 'wang-2022'; "
            "it becomes the paper's IRI segment"
        )
    return name


def scaffold_paper(name: str, root: Path, source: Path | None = None) -> Scaffold:
    """Create `root/name/` with paper.yaml and an empty section file; refuse an existing path.

    The written folder is loaded before returning; if it does not load, it is removed and the
    error raised (it names the file, line and field)."""
    check_name(name)
    folder = Path(root) / name
    if folder.exists() or folder.is_symlink():
        raise BadRequest(
            f"{folder} already exists: a new paper needs a folder of its own "
            "(choose another name, or remove the folder first)"
        )
    doc = parse(read_text(source), str(source)) if source is not None else None
    paper, sections = _paper_yaml(name, folder, doc, source)
    section_file = folder / f"01-{sections[0]}.yaml"
    section = _section_yaml(sections[0])
    folder.mkdir(parents=True)
    try:
        (folder / "paper.yaml").write_text(paper, encoding="utf-8")
        section_file.write_text(section, encoding="utf-8")
        load_corpus(folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    todo = sum(1 for line in (paper + section).splitlines() if _todo(line))
    return Scaffold(folder, [folder / "paper.yaml", section_file], todo)


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's)."""
    return json.dumps(value, ensure_ascii=False)


def _todo(line: str) -> bool:
    """A line of the record that still holds the marker (not a comment line)."""
    return TODO in line and not line.lstrip().startswith("#")


_HEADER = """\
# The document record of {name}, its sections and footnotes (docs/annotation-format.md).
# Written by `argraph new-paper`{from_source}. Replace every TODO; quotes are copied from the
# source text as a reader would copy them, Chinese labels as printed, English ones our own.
# Then: argraph anchor --corpus {folder} --source PATH   (writes anchors.lock.yaml)
#       argraph validate --corpus {folder} --source PATH
document:
  id: {name}  # the paper's id: keep it equal to the folder's name
"""

_RECORD = """\
  authors:  # in the order printed; role: corresponding author (optional)
    - {{zh: "TODO", en: "TODO"}}
  affiliation: {{zh: "TODO", en: "TODO"}}
  # journal: {{zh: ..., en: ...}}
  year: {year}  # TODO: the year of the issue
  issue: "TODO"  # e.g. "2021(01)"
  pages: 1-2  # TODO: first-last page
  # outcome: <factor id>  # the factor the paper explains: the analyses' default outcome
"""


def _paper_yaml(
    name: str, folder: Path, doc: Document | None, source: Path | None
) -> tuple[str, list[str]]:
    front = doc.front if doc is not None else {}
    out = [
        _HEADER.format(
            name=name,
            folder=folder,
            from_source=f" from {source.name}" if source is not None else "",
        )
    ]
    title = front.get("title")
    out.append(
        f"  title: {{zh: {_q(title or TODO)}, en: {_q(TODO)}}}  # zh as printed, en our own\n"
        f"  title_quote: {_q(title or TODO)}  # the title as the text prints it\n"
    )
    if "subtitle" in front:
        out.append(f"  subtitle: {{zh: {_q(front['subtitle'])}, en: {_q(TODO)}}}\n")
    out.append(_RECORD.format(year=1900))
    for key in ("abstract_zh", "abstract_en"):
        out.append(f"  {key}: {_q(front.get(key, TODO))}  # verbatim (its own quote)\n")
    out.append(
        "\n# The numbered sections, in order: `quote` is the heading as printed (一、引言).\n"
        "# Items of a section go into their own file(s): `section: <id>` then `items:`.\n"
        "sections:\n"
    )
    heads = (
        [(s.number, s.title, s.heading) for s in doc.sections]
        if doc is not None
        else [("一", TODO, TODO)]
    )
    sections: list[str] = []
    for order, (number, head_title, heading) in enumerate(heads, start=1):
        sec_id = f"sec-{order}"
        sections.append(sec_id)
        out.append(
            f"  - id: {sec_id}\n"
            f"    number: {_q(number)}\n"
            f"    order: {order}\n"
            f"    label: {{zh: {_q(head_title)}, en: {_q(TODO)}}}\n"
            f"    quote: {_q(heading)}\n"
        )
    out.append(
        "\n# Footnotes: `marker` as printed (①), `quote` the footnote's text.\n"
        "footnotes: []\n"
        "#  - id: fn-1\n"
        "#    marker: ①\n"
        "#    label: {zh: 数据来源, en: data source}\n"
        "#    quote: ...\n"
    )
    return "".join(out), sections


def _section_yaml(section_id: str) -> str:
    return (
        f"# The items of section {section_id} (docs/annotation-format.md): factors, claims,\n"
        "# links, loops, explanations, statistics, evidence, policies, each with an id, a type,\n"
        "# a bilingual label and its verbatim quote. Another file may hold more of them.\n"
        f"section: {section_id}\n"
        "items: []\n"
    )
