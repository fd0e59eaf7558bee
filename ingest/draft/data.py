"""The rule data of `argraph draft`: YAML files beside this module, read once on first use."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from ingest.yaml_loader import parse_yaml


@cache
def load(name: str) -> Any:
    """One data file of the package (``cues.zh.yaml``...), parsed."""
    text = resources.files("ingest.draft").joinpath(name).read_text(encoding="utf-8")
    return parse_yaml(text)


def cues(language: str) -> dict[str, Any]:
    data: dict[str, Any] = load(f"cues.{language}.yaml")
    return data
