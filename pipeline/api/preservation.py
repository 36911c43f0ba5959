"""Legal preservation over HTTP: the retention report and its page, disposal with four eyes, and
preservation packages for auditors and admins. The same operations as ``archivio retention``,
``archivio disposal`` and ``archivio package``."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.background import BackgroundTask

from ..export import describe, select
from ..index import SearchQuery
from ..preservation.disposal import Disposer, DisposalList, FourEyesError
from ..errors import IntegrityError
from ..preservation.package import PackageError, Packager
from ..preservation.retention import retention_report
from ..preservation.tsa import TimestampError
from ..records import DOC_CLASSES
from ..tokens import ApiToken
from . import i18n
from .auth import allow, current_token, problem, services
from .services import Services

router = APIRouter(tags=["preservation"])
UTC = dt.timezone.utc

# This page's words, kept here so the shared word list stays as other pages need it.
i18n._WORDS.update({
    "retention_title": ("Conservazione e scarto", "Retention and disposal"),
    "retention_due": ("Documenti con conservazione scaduta al", "Documents past their retention on"),
    "retention_year": ("Anno", "Year"),
    "retention_count": ("Documenti", "Documents"),
    "retention_none": ("Nessun documento ha terminato il periodo di conservazione.",
                       "No document has reached the end of its retention."),
    "retention_blocked": ("bloccati da un blocco legale o da una revisione aperta",
                          "blocked by a legal hold or an open review"),
    "legal_holds": ("Blocchi legali", "Legal holds"),
    "legal_holds_none": ("Nessun blocco legale.", "No legal holds."),
    "disposal_lists": ("Proposte di scarto", "Disposal lists"),
    "retain_until": ("Conservare fino al", "Keep until"),
})


def _day_end(day: dt.date | None) -> dt.datetime | None:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), UTC) if day else None


def _disposer(svc: Services) -> Disposer:
    return Disposer(svc.archive, svc.index, svc.audit, svc.settings.retention,
                    preview_cache=svc.settings.preview_cache_path)


# -- retention ---------------------------------------------------------------------------------
@router.get("/api/admin/retention/report", summary="Documents past their retention, and legal holds",
            **allow("admin"))
def report(due_before: dt.date | None = Query(None, description="Retention ended on or before this day (default today)."),
           svc: Services = Depends(services)) -> dict[str, Any]:
    """Grouped by class and year of the document date, with counts; each due document with the
    rule that ends its retention and what, if anything, blocks its disposal."""
    return retention_report(svc.archive, svc.settings.retention, due_before=_day_end(due_before)).as_json()


@router.get("/admin/retention", include_in_schema=False, **allow("admin"))
def retention_page(request: Request, svc: Services = Depends(services)) -> Response:
    from .pages import render

    try:
        day = dt.date.fromisoformat(request.query_params.get("due_before", ""))
    except ValueError:
        day = None
    rep = retention_report(svc.archive, svc.settings.retention, due_before=_day_end(day))
    return render(request, "retention.html", report=rep, day=day or dt.date.today(),
                  blocked=sum(1 for s in rep.due if s.blocked_by()), lists=_disposer(svc).lists()[:20])


# -- disposal ----------------------------------------------------------------------------------
class DisposalIn(BaseModel):
    name: str = Field(min_length=1, max_length=200, description="What the list is, e.g. \"scarto fatture 2014\".")
    due_before: dt.date | None = Field(None, description="Only documents whose retention ended before this day.")
    ids: list[str] = Field(default_factory=list, max_length=10_000,
                           description="Only these documents (each must be due and free of holds and reviews).")


class RejectIn(BaseModel):
    reason: str = Field("", max_length=2000)


_CONFLICT = {409: problem("Not possible in the list's state, or a document is held, under review or not due.")}


@router.get("/api/admin/disposals", response_model=list[DisposalList], summary="Disposal lists", **allow("admin"))
def disposal_lists(svc: Services = Depends(services)) -> list[DisposalList]:
    return _disposer(svc).lists()


@router.post("/api/admin/disposals", response_model=DisposalList, status_code=201, summary="Propose a disposal list",
             **allow("admin", responses={**_CONFLICT, 404: problem("A document named in ids is not in the archive.")}))
def propose(body: DisposalIn = Body(...), token: ApiToken = Depends(current_token),
            svc: Services = Depends(services)) -> DisposalList:
    """Freezes the list of documents whose retention has ended; another admin must approve it."""
    return _disposer(svc).propose(body.name, by=token.actor, due_before=_day_end(body.due_before), ids=body.ids or None)


@router.get("/api/admin/disposals/{list_id}", response_model=DisposalList, summary="One disposal list",
            **allow("admin", responses={404: problem("No such list.")}))
def disposal(list_id: str, svc: Services = Depends(services)) -> DisposalList:
    return _disposer(svc).get(list_id)


@router.post("/api/admin/disposals/{list_id}/approve", response_model=DisposalList,
             summary="Approve a disposal list (not its proposer): its documents are removed",
             **allow("admin", responses={**_CONFLICT, 404: problem("No such list.")}))
def approve(list_id: str, token: ApiToken = Depends(current_token), svc: Services = Depends(services)) -> DisposalList:
    """Four eyes: the admin who proposed the list gets 403. Removes originals, copies, records
    and index entries, then writes the disposal certificate and seals it in the audit log."""
    try:
        return _disposer(svc).approve(list_id, by=token.actor)
    except FourEyesError as exc:
        raise HTTPException(403, exc.reason) from None


@router.post("/api/admin/disposals/{list_id}/reject", response_model=DisposalList, summary="Reject a disposal list",
             **allow("admin", responses={**_CONFLICT, 404: problem("No such list.")}))
def reject(list_id: str, body: RejectIn = Body(RejectIn()), token: ApiToken = Depends(current_token),
           svc: Services = Depends(services)) -> DisposalList:
    return _disposer(svc).reject(list_id, by=token.actor, reason=body.reason)


@router.get("/api/disposals/{list_id}/certificate", summary="The disposal certificate (verbale di scarto)",
            **allow("admin", "auditor", responses={404: problem("No such list, or not approved yet.")}))
def certificate(list_id: str, svc: Services = Depends(services)) -> Response:
    return Response(_disposer(svc).certificate(list_id), media_type="application/json")


# -- packages ----------------------------------------------------------------------------------
@router.get("/api/packages", summary="A preservation package (pacchetto di versamento) as a ZIP",
            response_class=FileResponse,
            **allow("auditor", "admin", responses={200: {"description": "The package.",
                                                          "content": {"application/zip": {}}},
                                                    404: problem("No document matches."),
                                                    409: problem("An original is damaged or an archive copy missing."),
                                                    502: problem("The configured TSA did not give a timestamp.")}))
def package(date_from: dt.date | None = Query(None, alias="from"), date_to: dt.date | None = Query(None, alias="to"),
            doc_class: str | None = Query(None, alias="type", pattern="^(" + "|".join(DOC_CLASSES) + ")$"),
            name: str | None = Query(None, max_length=200, description="A name or company name the documents name."),
            vat: str | None = Query(None, max_length=40, description="A partita IVA the documents name."),
            taxcode: str | None = Query(None, max_length=40, description="A codice fiscale the documents name."),
            token: ApiToken = Depends(current_token), svc: Services = Depends(services)) -> Response:
    """Originals and archive copies, AgID metadata per document, a SInCRO index with every
    file's SHA-256, timestamped by the configured TSA and signed where configured."""
    q = SearchQuery(doc_class=doc_class, name=name, vat=vat, taxcode=taxcode, date_from=date_from, date_to=date_to)
    ids = select(svc.index, q)
    if not ids:
        return JSONResponse({"detail": "no document matches: no package"}, status_code=404)
    folder = Path(tempfile.mkdtemp(prefix="archivio-package-"))
    out = folder / f"pdv-{dt.datetime.now(UTC):%Y%m%d-%H%M%S}.zip"
    try:
        Packager(svc.archive, svc.audit, svc.settings.retention, svc.settings.preservation).build(
            ids, out, by=token.actor, query=describe(q))
    except TimestampError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise HTTPException(502, exc.reason) from None
    except (PackageError, IntegrityError) as exc:  # a damaged original or a missing copy: named, not a 500
        shutil.rmtree(folder, ignore_errors=True)
        raise HTTPException(409, str(exc)) from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(out, media_type="application/zip", filename=out.name,
                        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))
