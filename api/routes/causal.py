"""Causal analysis over REST: chains, reach, roots and outcomes, loops, rival explanations,
policy targeting and interventions. Thin wrappers over `graph.analysis`.

`outcome` defaults to the main outcome a paper's document record names (`arg:mainOutcome`) when
the graph has it, else to every outcome; factors and links may be given by IRI or by local id.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse, Response

from api.deps import StoreDep
from api.models import Page
from graph.analysis import (
    CausalGraph,
    Chain,
    Comparison,
    FactorRef,
    InterventionResult,
    Loop,
    PolicyAnalysis,
    PolicyGaps,
    Reached,
    analyse_policies,
    chains,
    compare,
    decline_outcome,
    downstream,
    find_loops,
    intervene,
    load_causal_graph,
    load_explanations,
    load_policies,
    outcomes,
    policy_gaps,
    root_causes,
    upstream,
)
from graph.analysis.chains import DEFAULT_MAX_LENGTH, MAX_LENGTH_LIMIT
from graph.analysis.loops import DEFAULT_MAX_LOOP_LENGTH, MAX_LOOP_LENGTH_LIMIT
from graph.analysis.tables import to_csv, to_markdown

router = APIRouter(prefix="/api", tags=["causal"])

OutcomeQ = Annotated[
    str | None,
    Query(description="outcome factor (IRI or id); default: the paper's main outcome, else all"),
]
MaxLengthQ = Annotated[int, Query(ge=1, le=MAX_LENGTH_LIMIT, description="longest chain, links")]


def _outcome(g: CausalGraph, ref: str | None) -> str | None:
    return g.resolve_factor(ref) if ref else decline_outcome(g)


@router.get("/chains", response_model=Page[Chain])
def get_chains(
    store: StoreDep,
    source: Annotated[str, Query(alias="from", description="cause factor (IRI or id)")],
    target: Annotated[str, Query(alias="to", description="effect factor (IRI or id)")],
    max_length: MaxLengthQ = DEFAULT_MAX_LENGTH,
) -> Page[Chain]:
    """Every simple causal chain between two factors, with its polarity and each link's quote."""
    g = load_causal_graph(store)
    found = chains(g, g.resolve_factor(source), g.resolve_factor(target), max_length)
    return Page(data=found, count=len(found))


@router.get("/factors/{factor:path}/upstream", response_model=Page[Reached])
def get_upstream(
    store: StoreDep, factor: str, max_distance: Annotated[int | None, Query(ge=1)] = None
) -> Page[Reached]:
    """Every cause of the factor, with its distance in links."""
    g = load_causal_graph(store)
    found = upstream(g, g.resolve_factor(factor), max_distance)
    return Page(data=found, count=len(found))


@router.get("/factors/{factor:path}/downstream", response_model=Page[Reached])
def get_downstream(
    store: StoreDep, factor: str, max_distance: Annotated[int | None, Query(ge=1)] = None
) -> Page[Reached]:
    """Every effect of the factor, with its distance in links."""
    g = load_causal_graph(store)
    found = downstream(g, g.resolve_factor(factor), max_distance)
    return Page(data=found, count=len(found))


@router.get("/roots", response_model=Page[FactorRef])
def get_roots(store: StoreDep, outcome: OutcomeQ = None) -> Page[FactorRef]:
    """Root causes: factors with no incoming causal link that reach the outcome."""
    g = load_causal_graph(store)
    found = root_causes(g, _outcome(g, outcome))
    return Page(data=found, count=len(found))


@router.get("/outcomes", response_model=Page[FactorRef])
def get_outcomes(store: StoreDep) -> Page[FactorRef]:
    """Outcomes: factors with no outgoing causal link that a root cause reaches."""
    found = outcomes(load_causal_graph(store))
    return Page(data=found, count=len(found))


@router.get("/loops", response_model=Page[Loop])
def get_loops(
    store: StoreDep,
    max_length: Annotated[int, Query(ge=1, le=MAX_LOOP_LENGTH_LIMIT)] = DEFAULT_MAX_LOOP_LENGTH,
    kind: Literal["reinforcing", "balancing"] | None = None,
) -> Page[Loop]:
    """Every feedback loop found in the causal layer, reinforcing or balancing."""
    loops = find_loops(load_causal_graph(store), max_length)
    found = [lp for lp in loops if kind in (None, lp.kind)]
    return Page(data=found, count=len(found))


def _comparison(store: StoreDep, outcome: str | None) -> Comparison:
    g = load_causal_graph(store)
    return compare(g, load_explanations(store), _outcome(g, outcome))


@router.get("/explanations", response_model=Comparison)
def get_explanations(store: StoreDep, outcome: OutcomeQ = None) -> Comparison:
    """Each competing explanation: its factors located in the causal model, references, verdict."""
    return _comparison(store, outcome)


@router.get(
    "/explanations/compare",
    response_model=Comparison,
    responses={200: {"content": {"text/csv": {}, "text/markdown": {}}}},
)
def get_comparison(
    store: StoreDep,
    outcome: OutcomeQ = None,
    format: Literal["json", "csv", "markdown"] = "json",
) -> Comparison | Response:
    """The explanations side by side (JSON, or a CSV / Markdown table)."""
    result = _comparison(store, outcome)
    if format == "csv":
        return PlainTextResponse(to_csv(result), media_type="text/csv; charset=utf-8")
    if format == "markdown":
        return PlainTextResponse(to_markdown(result), media_type="text/markdown; charset=utf-8")
    return result


@router.get("/policies", response_model=PolicyAnalysis)
def get_policies(
    store: StoreDep, outcome: OutcomeQ = None, max_length: MaxLengthQ = DEFAULT_MAX_LENGTH
) -> PolicyAnalysis:
    """Each recommendation's targets and their leverage over the root-to-outcome paths."""
    g = load_causal_graph(store)
    return analyse_policies(g, load_policies(store), _outcome(g, outcome), max_length)


@router.get("/policies/gaps", response_model=PolicyGaps)
def get_policy_gaps(
    store: StoreDep, outcome: OutcomeQ = None, max_length: MaxLengthQ = DEFAULT_MAX_LENGTH
) -> PolicyGaps:
    """Mechanism links no recommendation addresses; recommendations aimed outside the model."""
    g = load_causal_graph(store)
    return policy_gaps(g, load_policies(store), _outcome(g, outcome), max_length)


@router.get("/interventions", response_model=InterventionResult)
def get_intervention(
    store: StoreDep,
    cut_link: Annotated[list[str], Query(description="links to cut (IRI or id)")] = [],  # noqa: B006
    remove_factor: Annotated[list[str], Query(description="factors to remove")] = [],  # noqa: B006
    root: Annotated[str | None, Query(description="only this root cause")] = None,
) -> InterventionResult:
    """Which outcomes stop being reachable from the root cause(s), and which loops break."""
    g = load_causal_graph(store)
    return intervene(
        g,
        cut_links=[g.resolve_link(x) for x in cut_link],
        removed_factors=[g.resolve_factor(x) for x in remove_factor],
        root=g.resolve_factor(root) if root else None,
    )
