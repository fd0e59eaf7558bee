"""Causal analysis over REST: chains, reach, roots and outcomes, loops, rival explanations,
policy targeting and interventions. Thin wrappers over `graph.analysis`.

`outcome` defaults to the main outcome a paper's document record names (`arg:mainOutcome`) when
the graph has it, else to every outcome; factors and links may be given by IRI or by local id.
With several papers loaded, the analyses run on all of them together; `?paper=` restricts them
to one paper's causal layer, explanations and policies (and its main outcome is the default).
"""

from __future__ import annotations

from typing import Annotated, Literal, Protocol, TypeVar

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse, Response

from api.deps import StoreDep
from api.models import Page
from api.routes.papers import PaperFilterDep
from errors import BadRequest
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
    paper_graph,
    policy_gaps,
    root_causes,
    upstream,
)
from graph.analysis.chains import DEFAULT_MAX_LENGTH, MAX_LENGTH_LIMIT
from graph.analysis.interventions import intervene_policy
from graph.analysis.loops import DEFAULT_MAX_LOOP_LENGTH, MAX_LOOP_LENGTH_LIMIT
from graph.analysis.policies import pick_policy
from graph.analysis.tables import to_csv, to_markdown
from graph.store import Store

router = APIRouter(prefix="/api", tags=["causal"])


class _HasIri(Protocol):
    @property
    def iri(self) -> str: ...


T = TypeVar("T", bound=_HasIri)

OutcomeQ = Annotated[
    str | None,
    Query(description="outcome factor (IRI or id); default: the paper's main outcome, else all"),
]
MaxLengthQ = Annotated[int, Query(ge=1, le=MAX_LENGTH_LIMIT, description="longest chain, links")]


def _outcome(g: CausalGraph, ref: str | None) -> str | None:
    return g.resolve_factor(ref) if ref else decline_outcome(g)


def _graph(store: Store, only: str | None) -> CausalGraph:
    """The causal layer of every paper, or of the one under `only`."""
    return paper_graph(load_causal_graph(store), only)


def _mine(items: list[T], only: str | None) -> list[T]:
    return [x for x in items if only is None or x.iri.startswith(only)]


@router.get("/chains", response_model=Page[Chain])
def get_chains(
    store: StoreDep,
    only: PaperFilterDep,
    source: Annotated[str, Query(alias="from", description="cause factor (IRI or id)")],
    target: Annotated[str, Query(alias="to", description="effect factor (IRI or id)")],
    max_length: MaxLengthQ = DEFAULT_MAX_LENGTH,
) -> Page[Chain]:
    """Every simple causal chain between two factors, with its polarity and each link's quote."""
    g = _graph(store, only)
    found = chains(g, g.resolve_factor(source), g.resolve_factor(target), max_length)
    return Page(data=found, count=len(found))


@router.get("/factors/{factor:path}/upstream", response_model=Page[Reached])
def get_upstream(
    store: StoreDep,
    only: PaperFilterDep,
    factor: str,
    max_distance: Annotated[int | None, Query(ge=1)] = None,
) -> Page[Reached]:
    """Every cause of the factor, with its distance in links."""
    g = _graph(store, only)
    found = upstream(g, g.resolve_factor(factor), max_distance)
    return Page(data=found, count=len(found))


@router.get("/factors/{factor:path}/downstream", response_model=Page[Reached])
def get_downstream(
    store: StoreDep,
    only: PaperFilterDep,
    factor: str,
    max_distance: Annotated[int | None, Query(ge=1)] = None,
) -> Page[Reached]:
    """Every effect of the factor, with its distance in links."""
    g = _graph(store, only)
    found = downstream(g, g.resolve_factor(factor), max_distance)
    return Page(data=found, count=len(found))


@router.get("/roots", response_model=Page[FactorRef])
def get_roots(store: StoreDep, only: PaperFilterDep, outcome: OutcomeQ = None) -> Page[FactorRef]:
    """Root causes: factors with no incoming causal link that reach the outcome."""
    g = _graph(store, only)
    found = root_causes(g, _outcome(g, outcome))
    return Page(data=found, count=len(found))


@router.get("/outcomes", response_model=Page[FactorRef])
def get_outcomes(store: StoreDep, only: PaperFilterDep) -> Page[FactorRef]:
    """Outcomes: factors with no outgoing causal link that a root cause reaches."""
    found = outcomes(_graph(store, only))
    return Page(data=found, count=len(found))


@router.get("/loops", response_model=Page[Loop])
def get_loops(
    store: StoreDep,
    only: PaperFilterDep,
    max_length: Annotated[int, Query(ge=1, le=MAX_LOOP_LENGTH_LIMIT)] = DEFAULT_MAX_LOOP_LENGTH,
    kind: Literal["reinforcing", "balancing"] | None = None,
) -> Page[Loop]:
    """Every feedback loop found in the causal layer, reinforcing or balancing."""
    loops = find_loops(_graph(store, only), max_length)
    found = [lp for lp in loops if kind in (None, lp.kind)]
    return Page(data=found, count=len(found))


def _comparison(store: Store, only: str | None, outcome: str | None) -> Comparison:
    g = _graph(store, only)
    return compare(g, _mine(load_explanations(store), only), _outcome(g, outcome))


@router.get("/explanations", response_model=Comparison)
def get_explanations(store: StoreDep, only: PaperFilterDep, outcome: OutcomeQ = None) -> Comparison:
    """Each competing explanation: its factors located in the causal model, references, verdict."""
    return _comparison(store, only, outcome)


@router.get(
    "/explanations/compare",
    response_model=Comparison,
    responses={200: {"content": {"text/csv": {}, "text/markdown": {}}}},
)
def get_comparison(
    store: StoreDep,
    only: PaperFilterDep,
    outcome: OutcomeQ = None,
    format: Literal["json", "csv", "markdown"] = "json",
) -> Comparison | Response:
    """The explanations side by side (JSON, or a CSV / Markdown table)."""
    result = _comparison(store, only, outcome)
    if format == "csv":
        return PlainTextResponse(to_csv(result), media_type="text/csv; charset=utf-8")
    if format == "markdown":
        return PlainTextResponse(to_markdown(result), media_type="text/markdown; charset=utf-8")
    return result


@router.get("/policies", response_model=PolicyAnalysis)
def get_policies(
    store: StoreDep,
    only: PaperFilterDep,
    outcome: OutcomeQ = None,
    max_length: MaxLengthQ = DEFAULT_MAX_LENGTH,
) -> PolicyAnalysis:
    """Each recommendation's targets and their leverage over the root-to-outcome paths."""
    g = _graph(store, only)
    return analyse_policies(g, _mine(load_policies(store), only), _outcome(g, outcome), max_length)


@router.get("/policies/gaps", response_model=PolicyGaps)
def get_policy_gaps(
    store: StoreDep,
    only: PaperFilterDep,
    outcome: OutcomeQ = None,
    max_length: MaxLengthQ = DEFAULT_MAX_LENGTH,
) -> PolicyGaps:
    """Mechanism links no recommendation addresses; recommendations aimed outside the model."""
    g = _graph(store, only)
    return policy_gaps(g, _mine(load_policies(store), only), _outcome(g, outcome), max_length)


@router.get("/interventions", response_model=InterventionResult)
def get_intervention(
    store: StoreDep,
    only: PaperFilterDep,
    cut_link: Annotated[list[str], Query(description="links to cut (IRI or id)")] = [],  # noqa: B006
    remove_factor: Annotated[list[str], Query(description="factors to remove")] = [],  # noqa: B006
    root: Annotated[str | None, Query(description="only this root cause")] = None,
    policy: Annotated[
        str | None,
        Query(
            description="a recommendation (IRI or id): cut the links and hold the factors its "
            "aims for its targets move against the outcome (not with cut_link/remove_factor)"
        ),
    ] = None,
    outcome: OutcomeQ = None,
) -> InterventionResult:
    """Which outcomes stop being reachable from the root cause(s), and which loops break: for
    the links and factors given, or for what a recommendation does if it reaches its aims."""
    g = _graph(store, only)
    if policy is not None:
        if cut_link or remove_factor or root:
            raise BadRequest("give either policy or cut_link/remove_factor/root, not both")
        chosen = pick_policy(_mine(load_policies(store), only), policy, only)
        target = _outcome(g, outcome)
        if target is None:
            raise BadRequest(
                "the graph names no single main outcome: give outcome= for a policy intervention"
            )
        return intervene_policy(g, chosen, target)
    if outcome is not None:
        raise BadRequest("outcome applies to a policy intervention only (policy=)")
    return intervene(
        g,
        cut_links=[g.resolve_link(x) for x in cut_link],
        removed_factors=[g.resolve_factor(x) for x in remove_factor],
        root=g.resolve_factor(root) if root else None,
    )
