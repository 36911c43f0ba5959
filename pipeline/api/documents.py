"""One document: its record, original, text and page images; corrections, review and fixity."""

from __future__ import annotations

import hashlib
import logging
from urllib.parse import quote

from fastapi import APIRouter, Body, Depends, Path
from fastapi.responses import FileResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse

from ..audit import DOWNLOAD_FAILED, DOWNLOADED, PREVIEWED, TEXT_READ, VERIFIED, VIEWED, AuditEntry
from ..errors import IntegrityError, NotFoundError
from ..records import Record
from ..review import Correction
from ..store.archive import original_key
from ..tokens import ApiToken
from ..errors import NotFoundError
from ..verify import CHUNK, open_original, open_stored, verify_document
from .auth import allow, problem, current_token, services
from ..split.refile import Refiler
from .schemas import BoundaryIn, FixityOut, ReviewedIn
from .services import Services

router = APIRouter(prefix="/api/documents", tags=["documents"])
log = logging.getLogger(__name__)

DocId = Path(min_length=6, max_length=72, pattern="^[0-9a-fA-F]+(-[0-9]{1,6})?$",
             description="The document id (SHA-256 of the original; `<sha256>-<n>` for the n-th document cut "
                         "from it: invoice n of an e-invoice file, a scanned stack's n-th document) or a "
                         "unique prefix of 6 or more characters.")
_404 = {404: problem("No such document.")}
_422 = {422: problem("The request is not valid.")}


def load(svc: Services, doc_id: str) -> Record:
    return svc.archive.get_record(svc.archive.resolve(doc_id))


@router.get("/{doc_id}", response_model=Record, summary="A document's record", **allow("archivist", "auditor", responses=_404))
def get_document(doc_id: str = DocId, token: ApiToken = Depends(current_token), svc: Services = Depends(services)) -> Record:
    """Class, extracted fields (each with confidence, validity, page and box), text, review flags
    and history. Written to the audit log as a view."""
    record = load(svc, doc_id)
    svc.audit.append(VIEWED, actor=token.actor, documents=[record.id], details={"via": "api"})
    return record


@router.get("/{doc_id}/original", summary="Download the original", response_class=Response,
            **allow("archivist", "auditor", responses={
                **_404,
                200: {"description": "The original, byte for byte.", "content": {"application/octet-stream": {}}},
                307: {"description": "Redirect to a short-lived download URL of the object store."}}))
def get_original(doc_id: str = DocId, token: ApiToken = Depends(current_token), svc: Services = Depends(services)) -> Response:
    """Streamed from the store, or a redirect to a presigned URL of the object store where it makes
    them (S3; valid for `store.url_expiry_seconds`). The `X-Archivio-SHA256` header carries the
    hash the bytes must have. Audited as a download, saying which way it went."""
    record = load(svc, doc_id)
    key = original_key(record.sha256)
    headers = {"X-Archivio-SHA256": record.sha256}
    if svc.archive.store.makes_download_links:
        expires = svc.settings.store.url_expiry_seconds
        url = svc.archive.original_url(record.sha256, expires_seconds=expires, filename=record.source.filename)
        svc.audit.append(DOWNLOADED, actor=token.actor, documents=[record.id],
                         details={"via": "presigned", "expires_seconds": expires, "filename": record.source.filename})
        return RedirectResponse(url, status_code=307, headers=headers)
    svc.audit.append(DOWNLOADED, actor=token.actor, documents=[record.id],
                     details={"via": "stream", "filename": record.source.filename})

    def chunks():
        # Hashed while streamed; the last chunk is held back until the hash and size agree with
        # the record, so an altered original reaches the client as a broken download, never whole.
        digest, size, held = hashlib.sha256(), 0, b""
        with open_original(svc.archive, record.sha256) as fh:
            for chunk in iter(lambda: fh.read(CHUNK), b""):
                digest.update(chunk)
                size += len(chunk)
                if size > record.size:
                    break
                if held:
                    yield held
                held = chunk
        if size != record.size or digest.hexdigest() != record.sha256:
            problem_text = (f"the stored original differs from its record ({size} bytes read, "
                            f"{record.size} recorded" + ("" if size > record.size else f"; SHA-256 {digest.hexdigest()[:16]}…") + ")")
            svc.audit.append(DOWNLOAD_FAILED, actor=token.actor, documents=[record.id],
                             details={"via": "stream", "problem": problem_text})
            log.error("download of %s aborted: %s", record.id[:12], problem_text)
            raise IntegrityError(problem_text, path=record.id)
        yield held

    headers["Content-Disposition"] = f"attachment; filename*=utf-8''{quote(record.source.filename)}"
    headers["Content-Length"] = str(record.size)
    return StreamingResponse(chunks(), media_type=record.media_type, headers=headers)


@router.get("/{doc_id}/copy", summary="The archive copy: a scan's PDF/A, an e-invoice's rendering",
            response_class=Response, **allow("archivist", "auditor", responses={
                **_404, 200: {"description": "The searchable PDF/A-2b copy of a scan (a download), or the "
                                             "Italian rendering of an e-invoice (shown sandboxed).",
                              "content": {"application/pdf": {}, "text/html": {}}}}))
def get_copy(doc_id: str = DocId, token: ApiToken = Depends(current_token), svc: Services = Depends(services)) -> Response:
    """The copy kept beside the original: the searchable PDF/A-2b made of a scan (audited as a
    download; the `X-Archivio-SHA256` header carries the hash the bytes must have), or the
    human-readable rendering of an e-invoice for the preview (sandboxed: it may not run scripts
    or load anything; audited as a preview). 404 for documents without one (born-digital PDFs)."""
    record = load(svc, doc_id)
    copy = record.archive_copy
    if copy is None:
        raise NotFoundError(f"document {record.id[:12]} has no archive copy (it is not a scan)", path=record.id)
    if copy.format == "HTML":
        data = svc.archive.store.get_bytes(copy.key)
        if svc.first_preview(token, record.id):
            svc.audit.append(PREVIEWED, actor=token.actor, documents=[record.id], details={"copy": copy.format})
        return Response(data, media_type=copy.media_type,
                        headers={"Content-Security-Policy": "sandbox; default-src 'none'; style-src 'unsafe-inline'; "
                                                            "frame-ancestors 'self'",
                                 "X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=3600"})
    name = record.source.filename.rsplit(".", 1)[0] + (f"-{record.parent.index}" if record.parent else "") + ".pdf"
    svc.audit.append(DOWNLOADED, actor=token.actor, documents=[record.id],
                     details={"via": "stream", "filename": name, "copy": copy.format})
    headers = {"X-Archivio-SHA256": copy.sha256}
    local = getattr(svc.archive.store, "local_path", None)
    if local is not None:
        return FileResponse(local(copy.key), media_type="application/pdf", filename=name, headers=headers)

    def chunks():
        with open_stored(svc.archive, copy.key, record.id + ".pdf") as fh:
            yield from iter(lambda: fh.read(CHUNK), b"")

    headers["Content-Disposition"] = f"attachment; filename*=utf-8''{quote(name)}"
    headers["Content-Length"] = str(copy.size)
    return StreamingResponse(chunks(), media_type="application/pdf", headers=headers)


@router.get("/{doc_id}/text", response_class=PlainTextResponse, summary="The document's text",
            **allow("archivist", "auditor", responses={**_404, 200: {"content": {"text/plain": {}}}}))
def get_text(doc_id: str = DocId, token: ApiToken = Depends(current_token), svc: Services = Depends(services)) -> PlainTextResponse:
    """As read (text layer or OCR); pages are separated by a form feed. Audited as a view."""
    record = load(svc, doc_id)
    svc.audit.append(TEXT_READ, actor=token.actor, documents=[record.id])
    return PlainTextResponse(record.text)


@router.get("/{doc_id}/pages/{page}", summary="A page image for the preview", response_class=FileResponse,
            **allow("archivist", "auditor", responses={**_404, 200: {"content": {"image/jpeg": {}}}}))
def get_page(doc_id: str = DocId, page: int = Path(ge=1, le=100_000), token: ApiToken = Depends(current_token),
             svc: Services = Depends(services)) -> FileResponse:
    """A JPEG of one page, `api.preview_width` pixels wide, rendered once and cached. The first
    page image a token fetches of a document within ten minutes is audited as a preview."""
    record = load(svc, doc_id)
    path = svc.previews.page(record, page)
    if svc.first_preview(token, record.id):
        svc.audit.append(PREVIEWED, actor=token.actor, documents=[record.id], details={"page": page})
    return FileResponse(path, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=86400"})


_CHANGE = {**_404, **_422, 409: problem("The record changed since that version: reload and retry.")}


@router.patch("/{doc_id}", response_model=Record, summary="Correct fields or the class", **allow("archivist", responses=_CHANGE))
def correct(doc_id: str = DocId, correction: Correction = Body(...), token: ApiToken = Depends(current_token),
            svc: Services = Depends(services)) -> Record:
    """Send the `version` you looked at with the changed fields (an empty value removes a field)
    and/or the new `class`. Values are normalised and validated (dates, amounts, VAT ids,
    IBANs); old values stay in the record's history. A newer version in the archive gives 409."""
    return svc.reviewer.correct(svc.archive.resolve(doc_id), correction, by=token.actor)


@router.post("/{doc_id}/reviewed", response_model=Record, summary="Mark the document reviewed",
             **allow("archivist", responses=_CHANGE))
def mark_reviewed(doc_id: str = DocId, body: ReviewedIn = Body(...), token: ApiToken = Depends(current_token),
                  svc: Services = Depends(services)) -> Record:
    """Confirm the document as it stands: the `needs_review` flag and its reasons move to history."""
    return svc.reviewer.mark_reviewed(svc.archive.resolve(doc_id), body.version, by=token.actor, note=body.note)


@router.post("/{doc_id}/boundary", response_model=list[Record], summary="Move a stack part's first page",
             **allow("archivist", responses=_CHANGE))
def move_boundary(doc_id: str = DocId, body: BoundaryIn = Body(...), token: ApiToken = Depends(current_token),
                  svc: Services = Depends(services)) -> list[Record]:
    """For a document split from a scanned stack: make stack page `first` its first page. The
    document before it gives or takes the pages in between; both are read again from the stack,
    re-filed as new versions with new archive copies, and the move is audited. Returns both."""
    refiler = Refiler(svc.settings, svc.archive, svc.reviewer, svc.audit)
    return refiler.move_boundary(svc.archive.resolve(doc_id), body.first, version=body.version, by=token.actor)


@router.post("/{doc_id}/verify", response_model=FixityOut, summary="Re-hash the stored original",
             **allow("auditor", responses=_404))
def verify(doc_id: str = DocId, token: ApiToken = Depends(current_token), svc: Services = Depends(services)) -> FixityOut:
    """Reads the stored original and compares its SHA-256 and size with the record. Audited."""
    result = verify_document(svc.archive, svc.archive.resolve(doc_id))
    svc.audit.append(VERIFIED, actor=token.actor, documents=[result.id],
                     details={"ok": result.ok, "actual": result.actual, "problem": result.problem})
    return FixityOut(**result.__dict__)


@router.get("/{doc_id}/audit", response_model=list[AuditEntry], summary="The document's audit trail",
            **allow("auditor", responses=_404))
def document_audit(doc_id: str = DocId, svc: Services = Depends(services)) -> list[AuditEntry]:
    """Every audit entry about this document, oldest first."""
    return svc.audit.for_document(svc.archive.resolve(doc_id))
