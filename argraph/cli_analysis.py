"""CLI verbs for the causal analysis: `chains`, `loops`, `compare`, `policies`, `intervene`.

The lead registers them with `register(app)` in `argraph/cli.py`. Each reads the built graph
(`graph.nq` in --dist) and prints text, or JSON with --json. Exit codes: 0 ok, 2 error.

A dist may hold several papers (`argraph build --corpus A --corpus B`). As the API's `?paper=`,
`--paper ID` restricts a verb to one paper's causal layer, explanations and policies (its main
outcome the default); without it the verbs run on all papers together, and a factor id two papers
share must be given as an IRI.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import BaseModel

from errors import ArgraphError, BadRequest

F = TypeVar("F", bound=Callable[..., Any])

DistOpt = Annotated[Path, typer.Option("--dist", help="build output folder")]
PaperOpt = Annotated[
    str | None,
    typer.Option(
        "--paper",
        help="one paper of the dist (its id, e.g. the folder name); default: all papers together",
    ),
]
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


def _load(dist: Path, paper: str | None = None) -> tuple[Any, Any, str | None]:
    """The store, the causal layer (of the paper, or of all) and the paper's item prefix."""
    from graph.analysis import documents, load_causal_graph, paper_graph, paper_prefix
    from graph.store import open_built

    store = open_built(dist)
    only = paper_prefix(documents(store), paper) if paper is not None else None
    return store, paper_graph(load_causal_graph(store), only), only


def _mine(items: list[Any], only: str | None) -> list[Any]:
    return [x for x in items if only is None or x.iri.startswith(only)]


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
    paper: PaperOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Every simple causal chain from one factor to another, with its polarity and quotes."""
    from graph.analysis import chains as find

    _store, g, _only = _load(dist, paper)
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
    paper: PaperOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Every feedback loop of the causal layer, reinforcing or balancing."""
    from graph.analysis import find_loops

    _store, g, _only = _load(dist, paper)
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
    paper: PaperOpt = None,
) -> None:
    """The competing explanations side by side, located in the paper's causal model."""
    from graph.analysis import compare as run
    from graph.analysis import load_explanations
    from graph.analysis.tables import to_csv, to_markdown

    store, g, only = _load(dist, paper)
    result = run(g, _mine(load_explanations(store), only), _outcome(g, outcome))
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
    paper: PaperOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Each recommendation's targets, with each target's aim, leverage and effect on the
    outcome, and the mechanism links none addresses."""
    from graph.analysis import analyse_policies, load_policies, policy_gaps

    store, g, only = _load(dist, paper)
    pols = _mine(load_policies(store), only)
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
    outcome_ids = ", ".join(f.id for f in analysis.outcome) or "every outcome"
    typer.echo(f"{analysis.total_paths} root-to-outcome paths (outcome: {outcome_ids})")
    for r in analysis.policies:
        typer.echo(f"{r.policy.id} (leverage {r.leverage}):")
        for t in r.targets:
            aim = (t.aim or "no aim").lower()
            effect = f", {_EFFECT[t.effect_on_outcome]}" if t.effect_on_outcome else ""
            basis = ", inferred" if t.iri in r.policy.inferred_targets else ""
            typer.echo(
                f"  {t.id} ({t.kind}{basis}): {aim}, leverage {t.leverage}{effect}"
                + (f" (via {g.ref(t.via_broader).id})" if t.via_broader else "")
            )
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
    policy: Annotated[
        str | None,
        typer.Option(
            "--policy",
            help="a recommendation (id or IRI): cut the links and hold the factors its aims move "
            "against the outcome (not with --cut/--remove/--root)",
        ),
    ] = None,
    outcome: OutcomeOpt = None,
    dist: DistOpt = Path("dist"),
    paper: PaperOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Cut links / remove factors, or reach a recommendation's aims (--policy): which outcomes
    the root causes stop reaching, which loops break."""
    from graph.analysis import intervene as run
    from graph.analysis import intervene_policy, load_policies
    from graph.analysis.policies import pick_policy

    store, g, only = _load(dist, paper)
    if policy is not None:
        if cut or remove or root:
            raise BadRequest("give either --policy or --cut/--remove/--root, not both")
        chosen = pick_policy(_mine(load_policies(store), only), policy, only)
        target = _outcome(g, outcome)
        if target is None:
            raise BadRequest("the graph names no single main outcome: give --outcome")
        result = intervene_policy(g, chosen, target)
    else:
        if outcome is not None:
            raise BadRequest("--outcome applies to a policy intervention only (--policy)")
        result = run(
            g,
            cut_links=[g.resolve_link(x) for x in cut or []],
            removed_factors=[g.resolve_factor(x) for x in remove or []],
            root=g.resolve_factor(root) if root else None,
        )
    if as_json:
        _json(result)
        return
    if result.policy is not None:
        typer.echo(f"policy {result.policy.rsplit('/', 1)[-1]} ({result.policy})")
        typer.echo("  cuts: " + (", ".join(g.ref(x).id for x in result.cut_links) or "nothing"))
        typer.echo(
            "  holds: " + (", ".join(g.ref(x).id for x in result.removed_factors) or "nothing")
        )
    typer.echo("lost outcomes: " + (", ".join(f.id for f in result.lost_outcomes) or "none"))
    typer.echo(f"root-to-outcome paths: {result.paths_before} -> {result.paths_after}")
    for lp in result.broken_loops:
        typer.echo(f"broken {lp.kind} loop: " + " -> ".join(f.id for f in lp.factors))


_EFFECT = {
    "lowers": "lowers the outcome",
    "raises": "raises the outcome",
    "mixed": "mixed effect on the outcome (the paths disagree)",
    "none": "no effect on the outcome",
    "cuts": "cuts the paths to the outcome",
    "strengthens": "strengthens the paths to the outcome",
}


def register(app: typer.Typer) -> None:
    """Add the analysis verbs to the `argraph` command."""
    for func in (chains, loops, compare, policies, intervene):
        app.command(name=func.__name__)(_errors(func))
