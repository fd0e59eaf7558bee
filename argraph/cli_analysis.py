"""CLI verbs for the causal analysis: `chains`, `loops`, `compare`, `policies`, `intervene`.

The lead registers them with `register(app)` in `argraph/cli.py`. Each reads the built graph
(`graph.nq` in --dist) and prints text, or JSON with --json. Exit codes: 0 ok, 2 error.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import BaseModel

from errors import ArgraphError

F = TypeVar("F", bound=Callable[..., Any])

DistOpt = Annotated[Path, typer.Option("--dist", help="build output folder")]
JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON instead of text")]
OutcomeOpt = Annotated[
    str | None,
    typer.Option(
        "--outcome",
        help="outcome factor (id or IRI); default: the paper's main outcome (outcome in paper.yaml), else all",
    ),
]


def _errors(func: F) -> F:
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ArgraphError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def _load(dist: Path) -> tuple[Any, Any]:
    from graph.analysis import load_causal_graph
    from graph.store import open_built

    store = open_built(dist)
    return store, load_causal_graph(store)


def _outcome(g: Any, ref: str | None) -> str | None:
    from graph.analysis import decline_outcome

    return g.resolve_factor(ref) if ref else decline_outcome(g)


def _json(model: BaseModel | list[Any]) -> None:
    if isinstance(model, list):
        typer.echo("[" + ",\n".join(m.model_dump_json(indent=2) for m in model) + "]")
    else:
        typer.echo(model.model_dump_json(indent=2))


def _name(f: Any) -> str:
    return str(f.en or f.id)


def chains(
    source: Annotated[str, typer.Argument(help="cause factor (id or IRI)")],
    target: Annotated[str, typer.Argument(help="effect factor (id or IRI)")],
    max_length: Annotated[int, typer.Option("--max-length")] = 16,
    dist: DistOpt = Path("dist"),
    as_json: JsonOpt = False,
) -> None:
    """Every simple causal chain from one factor to another, with its polarity and quotes."""
    from graph.analysis import chains as find

    _store, g = _load(dist)
    found = find(g, g.resolve_factor(source), g.resolve_factor(target), max_length)
    if as_json:
        _json(found)
        return
    for c in found:
        typer.echo(f"[{'+' if c.polarity > 0 else '-'}] " + " -> ".join(f.id for f in c.factors))
        for link in c.links:
            typer.echo(f"      {link.id}: {link.quote or ''}")
    typer.echo(f"({len(found)} chains)")


def loops(
    max_length: Annotated[int, typer.Option("--max-length")] = 8,
    dist: DistOpt = Path("dist"),
    as_json: JsonOpt = False,
) -> None:
    """Every feedback loop of the causal layer, reinforcing or balancing."""
    from graph.analysis import find_loops

    _store, g = _load(dist)
    found = find_loops(g, max_length)
    if as_json:
        _json(found)
        return
    for lp in found:
        cycle = " -> ".join(f.id for f in lp.factors) + f" -> {lp.factors[0].id}"
        typer.echo(f"{lp.kind} ({lp.negative_links} negative): {cycle}")
    typer.echo(f"({len(found)} loops)")


def compare(
    outcome: OutcomeOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="markdown, csv or json")] = "markdown",
    dist: DistOpt = Path("dist"),
) -> None:
    """The competing explanations side by side, located in the paper's causal model."""
    from graph.analysis import compare as run
    from graph.analysis import load_explanations
    from graph.analysis.tables import to_csv, to_markdown

    store, g = _load(dist)
    result = run(g, load_explanations(store), _outcome(g, outcome))
    writers: dict[str, Callable[[], str]] = {
        "markdown": lambda: to_markdown(result),
        "csv": lambda: to_csv(result),
        "json": lambda: result.model_dump_json(indent=2) + "\n",
    }
    if fmt not in writers:
        typer.echo("error: --format must be markdown, csv or json", err=True)
        raise typer.Exit(2)
    typer.echo(writers[fmt](), nl=False)


def policies(
    outcome: OutcomeOpt = None,
    dist: DistOpt = Path("dist"),
    as_json: JsonOpt = False,
) -> None:
    """Each recommendation's targets and leverage, and the mechanism links none addresses."""
    from graph.analysis import analyse_policies, load_policies, policy_gaps

    store, g = _load(dist)
    pols = load_policies(store)
    target = _outcome(g, outcome)
    analysis = analyse_policies(g, pols, target)
    gaps = policy_gaps(g, pols, target)
    if as_json:
        typer.echo(
            "{"
            + f'"policies": {analysis.model_dump_json(indent=2)},\n'
            + f'"gaps": {gaps.model_dump_json(indent=2)}'
            + "}"
        )
        return
    typer.echo(f"{analysis.total_paths} root-to-outcome paths")
    for r in analysis.policies:
        targets = ", ".join(f"{t.id} ({t.kind}, leverage {t.leverage})" for t in r.targets)
        typer.echo(f"{r.policy.id}: {targets}")
    typer.echo(f"\nunaddressed mechanism links ({len(gaps.unaddressed_links)}):")
    for link in gaps.unaddressed_links:
        typer.echo(f"  {link.id}: {g.ref(link.cause).id} -> {g.ref(link.effect).id}")
    if gaps.outside_model:
        typer.echo("\nrecommendations aimed outside the causal model:")
        for r in gaps.outside_model:
            typer.echo(f"  {r.policy.id}: " + ", ".join(t.id for t in r.targets if not t.in_model))


def intervene(
    cut: Annotated[list[str] | None, typer.Option("--cut", help="a link to cut")] = None,
    remove: Annotated[list[str] | None, typer.Option("--remove", help="a factor to remove")] = None,
    root: Annotated[str | None, typer.Option("--root", help="only this root cause")] = None,
    dist: DistOpt = Path("dist"),
    as_json: JsonOpt = False,
) -> None:
    """Cut links / remove factors: which outcomes the root causes stop reaching, which loops break."""
    from graph.analysis import intervene as run

    _store, g = _load(dist)
    result = run(
        g,
        cut_links=[g.resolve_link(x) for x in cut or []],
        removed_factors=[g.resolve_factor(x) for x in remove or []],
        root=g.resolve_factor(root) if root else None,
    )
    if as_json:
        _json(result)
        return
    typer.echo("lost outcomes: " + (", ".join(f.id for f in result.lost_outcomes) or "none"))
    typer.echo(f"root-to-outcome paths: {result.paths_before} -> {result.paths_after}")
    for lp in result.broken_loops:
        typer.echo(f"broken {lp.kind} loop: " + " -> ".join(f.id for f in lp.factors))


def register(app: typer.Typer) -> None:
    """Add the analysis verbs to the `argraph` command."""
    for func in (chains, loops, compare, policies, intervene):
        app.command(name=func.__name__)(_errors(func))
