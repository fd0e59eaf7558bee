"""/api/references: the reference list, and which claims and explanations cite each entry."""

from __future__ import annotations

from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Query

from api.deps import StoreDep
from api.models import Page, ReferenceOut
from api.routes.papers import ItemPaperPrefixDep, PaperFilterDep
from graph import repo
from graph.namespaces import ARG, CITO, FABIO
from graph.store import Store

router = APIRouter(prefix="/api/references", tags=["references"])
DCT = "http://purl.org/dc/terms/"


def list_references(store: Store, q: str | None) -> list[ReferenceOut]:
    nodes = repo.nodes_of_class(store, str(ARG.Reference))
    rows = repo.select(
        store,
        f"""SELECT DISTINCT ?s ?r WHERE {{
        ?s <{CITO.cites}> ?r . ?r a <{ARG.Reference}> . FILTER NOT EXISTS {{ ?s a <{ARG.Document}> }}
    }}""",
    )
    citing: dict[str, set[str]] = {}
    for r in rows:
        citing.setdefault(r["r"].value, set()).add(r["s"].value)
    labels = repo.labels_of(store, {s for ss in citing.values() for s in ss})
    out = []
    for n in nodes.values():
        if not repo.matches(n.text() + "\n" + "\n".join(n.values(DCT + "title")), q):
            continue
        number = n.first(str(ARG.number))
        out.append(
            ReferenceOut(
                id=repo.short_id(n.iri),
                iri=n.iri,
                label=n.labels(),
                number=int(number) if number and number.isdigit() else None,
                title=n.first(DCT + "title"),
                authors=n.values(DCT + "creator"),
                venue=n.first(DCT + "isPartOf"),
                year=n.first(str(FABIO.hasPublicationYear)),
                cited_by=[repo.ref(s, labels) for s in sorted(citing.get(n.iri, ()))],
            )
        )
    return sorted(out, key=lambda r: (r.number is None, r.number or 0, r.id))


@router.get("", response_model=Page[ReferenceOut], summary="References and what cites them")
async def references(
    store: StoreDep,
    only: PaperFilterDep,
    q: Annotated[str | None, Query(min_length=1)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Page[ReferenceOut]:
    items = await anyio.to_thread.run_sync(list_references, store, q)
    items = [i for i in items if only is None or i.iri.startswith(only)]
    return Page[ReferenceOut](data=items[offset : offset + limit], count=len(items))


@router.get("/{ref_id}", response_model=ReferenceOut, summary="One reference")
async def reference(ref_id: str, store: StoreDep, prefix: ItemPaperPrefixDep) -> ReferenceOut:
    items = await anyio.to_thread.run_sync(list_references, store, None)
    return repo.pick(items, prefix + ref_id, "reference", ref_id)
