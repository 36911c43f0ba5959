"""For auditors: the audit log, its chain check, and exports of documents as a verifiable ZIP."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from ..export import describe, select
from ..index import SearchQuery
from ..tokens import ApiToken
from .auth import allow, current_token, problem, services
from .queries import search_filters
from .schemas import AuditPage, ChainOut
from .services import Services

router = APIRouter(prefix="/api", tags=["audit"])


@router.get("/audit", response_model=AuditPage, summary="Read the audit log", **allow("auditor"))
def audit_log(after: int = Query(0, ge=0, description="Entries after this number."),
              limit: int = Query(100, ge=1, le=1000),
              action: str | None = Query(None, max_length=40, description="Only this action (viewed, corrected…)."),
              actor: str | None = Query(None, max_length=80, description="Only entries by this token name."),
              svc: Services = Depends(services)) -> AuditPage:
    """Entries in chain order: who did what, when, to which documents, with each entry's hash
    and the hash of the one before it."""
    entries = list(svc.audit.entries(after=after, limit=limit, action=action, actor=actor))
    return AuditPage(entries=entries, next_after=entries[-1].seq if len(entries) == limit else None)


@router.get("/audit/verify", response_model=ChainOut, summary="Check the audit chain", **allow("auditor"))
def audit_verify(svc: Services = Depends(services)) -> ChainOut:
    """Recomputes every entry's hash and link; names the first entry changed, inserted or removed."""
    return ChainOut.of(svc.audit.verify())


@router.get("/export", summary="Export documents as a ZIP bundle", response_class=StreamingResponse,
            **allow("auditor", responses={422: problem("A date or amount that cannot be read, said in one line."),
                                          200: {"description": "The bundle, streamed while it is made.",
                                                 "content": {"application/zip": {}}}}))
def export(query: SearchQuery = Depends(search_filters), token: ApiToken = Depends(current_token),
           svc: Services = Depends(services)) -> StreamingResponse:
    """Every document the filters match (a period is `from`/`to` on the document date): the
    originals, their records, the audit entries about them, and `manifest.json` + `SHA256SUMS`
    with the SHA-256 of every file. Audited before the first byte and sealed at the end."""
    ids = select(svc.index, query)
    stream = svc.exporter.bundle(ids, by=token.actor, query=describe(query))
    name = f"archivio-export-{dt.datetime.now(dt.timezone.utc):%Y%m%d-%H%M%S}.zip"
    return StreamingResponse(stream, media_type="application/zip",
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})
