"""Search and the review queue: the same ``SearchIndex.search`` that `archivio search` calls."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Query

from ..index import SearchQuery, SearchResults
from ..review import review_queue
from .auth import allow, problem, services
from .queries import search_filters, with_page
from .schemas import FacetCount, HitOut, SearchOut
from .services import Services

router = APIRouter(prefix="/api", tags=["search"])
Sort = Literal["relevance", "date", "-date", "amount", "-amount"]


def run_search(svc: Services, query: SearchQuery) -> SearchResults:
    try:
        return svc.index.search(query)
    except (ValueError, TypeError):
        # Only the opaque cursor can fail this way: one we never issued, or one that expired.
        raise HTTPException(404, "this page of results does not exist: the cursor is unknown or expired; "
                                 "start again without it") from None


def to_out(results: SearchResults) -> SearchOut:
    return SearchOut(
        total=results.total,
        hits=[HitOut(**{**hit.__dict__, "tags": list(hit.tags)}) for hit in results.hits],
        facets={name: [FacetCount(value=str(v), count=n) for v, n in counts] for name, counts in results.facets.items()},
        next_cursor=results.next_cursor,
        partial=results.partial,
        names=results.names,
    )


_GONE = {404: problem("The cursor is unknown or expired.")}


_UNREADABLE = {422: problem("A date or amount that cannot be read, said in one line.")}


@router.get("/search", response_model=SearchOut, summary="Find documents",
            **allow("archivist", "auditor", responses={**_GONE, **_UNREADABLE}))
def search(query: SearchQuery = Depends(search_filters),
           sort: Sort = Query("relevance", description="Order; a leading '-' means descending."),
           size: int = Query(20, ge=1, le=100, description="Hits per page."),
           cursor: str | None = Query(None, max_length=200, description="`next_cursor` of the previous page."),
           svc: Services = Depends(services)) -> SearchOut:
    """Words match regardless of accents and Italian/English endings; identifiers find their
    document first. Facets count the matching documents by class, vendor, month, tag and
    correspondent (the counterparty: supplier, customer, merchant or party, not the archive's own company)."""
    return to_out(run_search(svc, with_page(query, sort=sort, size=size, cursor=cursor)))


@router.get("/review-queue", response_model=SearchOut, summary="Documents waiting for review", **allow("archivist", responses=_GONE))
def queue(size: int = Query(20, ge=1, le=100), cursor: str | None = Query(None, max_length=200),
          svc: Services = Depends(services)) -> SearchOut:
    """Documents flagged `needs_review` (a required field missing or invalid, an uncertain class),
    oldest document date first."""
    try:
        return to_out(review_queue(svc.index, size=size, cursor=cursor))
    except (ValueError, TypeError):
        raise HTTPException(404, "this page of the queue does not exist: the cursor is unknown or expired") from None
