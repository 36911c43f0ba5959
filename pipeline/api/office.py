"""Everyday office features of the API: upload from the browser, result-list thumbnails, and
tagging or reclassifying a selection of documents at once.

An upload goes through the same ``Intake.take`` as a file dropped into the shared folder, so the
same rules hold (size limit, file type sniffed from the bytes, exact duplicates to
``duplicates/`` with a note, refusals to ``quarantine/`` with the reason) and the answer says at
once which it was. The bytes are staged in a hidden folder of the inbox (``.upload-*``: the
watcher ignores hidden names) and taken from there with ``upload.folder`` as their folder hint,
then moved to ``processed/`` like any other file. The job lands in the journal, where the
watcher's workers read and file it.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path, PurePosixPath

from fastapi import APIRouter, Depends, File, HTTPException, UploadFile
from fastapi.responses import FileResponse
from PIL import Image
from pydantic import BaseModel, Field

from ..audit import PREVIEWED
from ..errors import ArchivioError
from ..folders import display_name
from ..intake import Intake
from ..journal import Journal
from ..quarantine import Quarantine
from ..records import DocClass
from ..review import Correction
from ..tokens import ApiToken
from .auth import allow, current_token, problem, services
from .documents import DocId, load
from .services import Services

router = APIRouter(prefix="/api", tags=["office"])
THUMB_WIDTH = 160
_CHUNK = 1024 * 1024


class UploadOut(BaseModel):
    filename: str
    outcome: str  # queued | duplicate | rejected
    message: str
    job: int | None = None


@router.post("/upload", response_model=list[UploadOut], summary="Upload documents from the browser",
             **allow("archivist", responses={413: problem("Too many files, or a file above workers.max_file_mb.")}))
async def upload(files: list[UploadFile] = File([], description="One or more scans (PDF, TIFF, JPEG, PNG)."),
                 token: ApiToken = Depends(current_token), svc: Services = Depends(services)) -> list[UploadOut]:
    """Each file is taken exactly as if it had been dropped into the inbox's `upload.folder`:
    queued for reading, reported as an exact duplicate, or refused with the reason."""
    settings = svc.settings
    if len(files) > settings.upload.max_files:
        raise HTTPException(413, f"at most {settings.upload.max_files} files at once (upload.max_files)")
    limit = settings.workers.max_file_mb * 1024 * 1024
    inbox = Path(settings.paths.inbox)
    inbox.mkdir(parents=True, exist_ok=True)
    journal = Journal(settings.journal_path)
    intake = Intake(settings, svc.archive, journal, Quarantine(settings.paths.quarantine))
    out: list[UploadOut] = []
    try:
        for upload_file in files:
            name = _safe_name(upload_file.filename)
            stage = Path(tempfile.mkdtemp(prefix=".upload-", dir=inbox))
            try:
                target = stage / settings.upload.folder / name
                target.parent.mkdir(parents=True)
                size = 0
                with target.open("wb") as fh:
                    # One chunk past the limit is enough for intake to refuse it with its own words.
                    while size <= limit and (chunk := await upload_file.read(_CHUNK)):
                        fh.write(chunk)
                        size += len(chunk)
                result = intake.take(target, root=stage, handoff="move")
                out.append(UploadOut(filename=name, outcome=result.outcome, message=result.message,
                                     job=result.job.id if result.job else None))
            finally:
                shutil.rmtree(stage, ignore_errors=True)
    finally:
        journal.close()
    return out


def _safe_name(name: str | None) -> str:
    """The file's own name, never a path: browsers send names, but a client may send anything."""
    base = PurePosixPath((name or "").replace("\\", "/")).name.strip().lstrip(".")
    return display_name(base)[:200] or "upload"


@router.get("/documents/{doc_id}/thumbnail", summary="A small image of the first page", response_class=FileResponse,
            **allow("archivist", "auditor", responses={404: problem("No such document."),
                                                       200: {"content": {"image/jpeg": {}}}}))
def thumbnail(doc_id: str = DocId, token: ApiToken = Depends(current_token),
              svc: Services = Depends(services)) -> FileResponse:
    """The first page, 160 pixels wide, for result lists. Audited as a preview, like page images."""
    record = load(svc, doc_id)
    page = svc.previews.page(record, 1)
    thumb = page.with_name(f"1-thumb{THUMB_WIDTH}.jpg")
    if not thumb.exists():
        with Image.open(page) as image:
            image.thumbnail((THUMB_WIDTH, THUMB_WIDTH * 2))
            tmp = thumb.with_suffix(".part")
            image.save(tmp, "JPEG", quality=75)
            tmp.replace(thumb)
    if svc.first_preview(token, record.id):
        svc.audit.append(PREVIEWED, actor=token.actor, documents=[record.id], details={"page": 1, "thumbnail": True})
    return FileResponse(thumb, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=86400"})


class BulkIn(BaseModel):
    ids: list[str] = Field(min_length=1, max_length=500, description="Document ids (or unique prefixes).")
    add_tags: list[str] = Field(default_factory=list, max_length=20)
    remove_tags: list[str] = Field(default_factory=list, max_length=20)
    doc_class: DocClass | None = Field(None, alias="class", description="New class for every document.")
    note: str = Field("", max_length=2000)

    model_config = {"populate_by_name": True}


class BulkOut(BaseModel):
    id: str
    version: int | None = None
    error: str | None = None


@router.post("/documents/bulk", response_model=list[BulkOut], summary="Tag or reclassify several documents",
             **allow("archivist", responses={422: problem("The request is not valid.")}))
def bulk_edit(body: BulkIn, token: ApiToken = Depends(current_token), svc: Services = Depends(services)) -> list[BulkOut]:
    """Each document gets its own new version, history line and audit entry; one that cannot be
    changed (unknown id, a concurrent edit) is reported and the others go ahead."""
    out: list[BulkOut] = []
    for given in body.ids:
        try:
            doc_id = svc.archive.resolve(given)
            record = svc.reviewer.retag(doc_id, add=body.add_tags, remove=body.remove_tags, by=token.actor)
            if body.doc_class and body.doc_class != record.doc_class:
                record = svc.reviewer.correct(doc_id, Correction(version=record.version, doc_class=body.doc_class,
                                                                 note=body.note), by=token.actor)
            out.append(BulkOut(id=doc_id, version=record.version))
        except ArchivioError as exc:
            out.append(BulkOut(id=given, error=exc.reason))
    return out
