"""/api/claims: list (filter by type, section, explanation; search in Chinese or English), one."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Query

from api.deps import StoreDep
from api.models import CitationOut, ClaimDetail, Item, Page, Relation
from api.routes.papers import ItemPaperPrefixDep, PaperFilterDep, PaperPrefixDep
from errors import NotFound
from graph import repo
from graph.namespaces import ARG, CITO
from graph.store import Store

router = APIRouter(prefix="/api/claims", tags=["claims"])

RELATIONS = [
    str(ARG.supports),
    str(ARG.challenges),
    str(ARG.qualifies),
    str(ARG.about),
    "http://purl.org/dc/terms/references",
]


class ClaimType(StrEnum):
    empirical = "EmpiricalClaim"
    causal = "CausalClaim"
    normative = "NormativeClaim"
    definitional = "DefinitionalClaim"
    thesis = "Thesis"


def _item(n: repo.Node) -> Item:
    return Item(
        id=repo.short_id(n.iri),
        iri=n.iri,
        label=n.labels(),
        types=n.types(),
        section=(repo.short_id(s) if (s := n.first(str(ARG.section))) else None),
        quote=n.first(str(ARG.quote)),
    )


def _explanation_scope(store: Store, explanation: str) -> set[str]:
    """Claims tied to an explanation: linked either way, or about a factor it posits."""
    e = repo.iri(explanation)
    rows = repo.select(
        store,
        f"""SELECT DISTINCT ?c WHERE {{
        ?c a <{ARG.Claim}> .
        {{ {e} ?p ?c }} UNION {{ ?c ?p {e} }} UNION {{ {e} <{ARG.posits}> ?f . ?c <{ARG.about}> ?f }}
    }}""",
    )
    return {r["c"].value for r in rows}


def list_claims(
    store: Store,
    prefix: str,
    type_: ClaimType | None,
    section: str | None,
    explanation: str | None,
    q: str | None,
    only: str | None = None,
) -> list[Item]:
    """The claims, filtered; `section` and `explanation` are ids of the paper under `prefix`,
    `only` keeps the items under that prefix (None: every paper)."""
    nodes = repo.nodes_of_class(store, str(ARG.Claim))
    scope = _explanation_scope(store, prefix + explanation) if explanation else None
    out = []
    for n in nodes.values():
        if type_ is not None and type_.value not in n.types():
            continue
        if section is not None and n.first(str(ARG.section)) != prefix + section:
            continue
        if scope is not None and n.iri not in scope:
            continue
        if not repo.matches(n.text(), q):
            continue
        if only is not None and not n.iri.startswith(only):
            continue
        out.append(_item(n))
    return out


@router.get("", response_model=Page[Item], summary="Claims, filtered and searched")
async def claims(
    store: StoreDep,
    prefix: PaperPrefixDep,
    only: PaperFilterDep,
    type: Annotated[ClaimType | None, Query(description="claim class")] = None,
    section: Annotated[str | None, Query(description="section id")] = None,
    explanation: Annotated[str | None, Query(description="explanation id")] = None,
    q: Annotated[str | None, Query(min_length=1, description="text in zh or en")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Page[Item]:
    items = await anyio.to_thread.run_sync(
        list_claims, store, prefix, type, section, explanation, q, only
    )
    return Page[Item](data=items[offset : offset + limit], count=len(items))


def claim_detail(store: Store, prefix: str, claim_id: str) -> ClaimDetail:
    subject = prefix + claim_id
    try:
        n = repo.node(store, subject)
    except NotFound:
        raise NotFound(f"no claim {claim_id!r}", id=claim_id) from None
    if "Claim" not in n.types():
        raise NotFound(f"{claim_id!r} is not a claim", id=claim_id)
    rels: list[tuple[str, str, str]] = [
        (p, "out", t.value) for p in RELATIONS for t in n.props.get(p, []) if t.kind == "uri"
    ]
    rels += [(p, "in", s) for s, p in repo.incoming(store, subject) if p in RELATIONS]
    cites = repo.select(
        store,
        f"""SELECT ?ref ?fn ?pages WHERE {{
        ?c <{CITO.hasCitingEntity}> {repo.iri(subject)} ; <{CITO.hasCitedEntity}> ?ref ;
           <{CITO.hasCitationCharacterization}> ?fn .
        OPTIONAL {{ ?c <{ARG.pages}> ?pages }} }} ORDER BY ?ref""",
    )
    labels = repo.labels_of(store, {t for _, _, t in rels} | {r["ref"].value for r in cites})
    item = _item(n)
    return ClaimDetail(
        **item.model_dump(),
        note=n.first(str(ARG.note)),
        anchor=repo.anchor_of(store, subject),
        relations=[
            Relation(
                predicate=p,
                name=p.rsplit("#", 1)[-1].rsplit("/", 1)[-1],
                direction=d,
                target=repo.ref(t, labels),
            )
            for p, d, t in sorted(set(rels))
        ],
        citations=[
            CitationOut(
                reference=repo.ref(r["ref"].value, labels),
                function=r["fn"].value.rsplit("/", 1)[-1],
                pages=r["pages"].value if "pages" in r else None,
            )
            for r in cites
        ],
    )


@router.get("/{claim_id}", response_model=ClaimDetail, summary="One claim with its quote")
async def claim(claim_id: str, store: StoreDep, prefix: ItemPaperPrefixDep) -> ClaimDetail:
    return await anyio.to_thread.run_sync(claim_detail, store, prefix, claim_id)
