"""For admins: API tokens, and retention / legal hold of originals where the store enforces them
(the local store by itself, an S3 bucket with Object Lock)."""

from __future__ import annotations

from fastapi import APIRouter, Body, Depends, HTTPException, Path

from ..audit import LEGAL_HOLD_SET, RETENTION_SET
from ..store.archive import original_key
from ..store.base import Retention
from ..tokens import ApiToken
from .auth import allow, problem, current_token, services
from .documents import DocId
from .schemas import LegalHoldIn, RetentionIn, RetentionOut, TokenCreated, TokenIn, TokenOut
from .services import Services

router = APIRouter(prefix="/api/admin", tags=["admin"])
_404 = {404: problem("Not found.")}
_409 = {409: problem("The original is under a longer or stricter retention: it can be extended, never shortened.")}
_501 = {501: problem("The configured store cannot enforce this (an S3 bucket without Object Lock).")}


@router.get("/tokens", response_model=list[TokenOut], summary="List API tokens", **allow("admin"))
def list_tokens(svc: Services = Depends(services)) -> list[TokenOut]:
    return [TokenOut.of(t) for t in svc.tokens.list()]


@router.post("/tokens", response_model=TokenCreated, status_code=201, summary="Create an API token",
             **allow("admin", responses={422: problem("Invalid name or role."),
                                         409: problem("An active token already has this name.")}))
def create_token(body: TokenIn = Body(...), token: ApiToken = Depends(current_token),
                 svc: Services = Depends(services)) -> TokenCreated:
    """The secret is in this answer only; the archive keeps its SHA-256."""
    created, secret = svc.tokens.create(body.name, body.role, by=token.actor, expires_days=body.expires_days)
    return TokenCreated(token=TokenOut.of(created), secret=secret)


@router.delete("/tokens/{token_id}", response_model=TokenOut, summary="Revoke an API token", **allow("admin", responses=_404))
def revoke_token(token_id: str = Path(max_length=80, description="Token id (or its unique name)."),
                 token: ApiToken = Depends(current_token), svc: Services = Depends(services)) -> TokenOut:
    """Stops working on this server at once, on every other one within seconds; the token stays
    listed as revoked."""
    revoked = svc.tokens.revoke(token_id, by=token.actor)
    svc.forget_token(revoked.id)
    return TokenOut.of(revoked)


def _state(svc: Services, doc_id: str) -> RetentionOut:
    record = svc.archive.get_record(svc.archive.resolve(doc_id))
    info = svc.archive.original_info(record.sha256)
    enforced = svc.archive.store.enforces_retention
    return RetentionOut(
        id=record.id, key=original_key(record.sha256), retention_mode=info.retention.mode if info.retention else None,
        retain_until=info.retention.until if info.retention else None, legal_hold=info.legal_hold,
        store=svc.archive.store.name, store_supports_retention=enforced, store_supports_legal_hold=enforced,
    )


def _enforced(svc: Services, what: str) -> None:
    if not svc.archive.store.enforces_retention:
        raise HTTPException(501, f"the {svc.archive.store.name} store cannot enforce {what}: the bucket needs "
                                 "Object Lock (create it with Object Lock enabled)")


@router.get("/documents/{doc_id}/retention", response_model=RetentionOut, summary="Retention and legal hold of an original",
            **allow("admin", responses=_404))
def get_retention(doc_id: str = DocId, svc: Services = Depends(services)) -> RetentionOut:
    return _state(svc, doc_id)


@router.put("/documents/{doc_id}/retention", response_model=RetentionOut, summary="Extend the retention of an original",
            **allow("admin", responses={**_404, **_409, **_501}))
def set_retention(doc_id: str = DocId, body: RetentionIn = Body(...), token: ApiToken = Depends(current_token),
                  svc: Services = Depends(services)) -> RetentionOut:
    """A later retain-until date, or GOVERNANCE made COMPLIANCE (Object Lock on S3; the local
    store enforces it itself). Retention is never shortened and COMPLIANCE never lifted: 409."""
    _enforced(svc, "retention")
    doc = svc.archive.get_record(svc.archive.resolve(doc_id))
    svc.archive.set_retention(doc.sha256, Retention(body.mode, body.until))
    svc.audit.append(RETENTION_SET, actor=token.actor, documents=[doc.id],
                     details={"mode": body.mode, "until": body.until.isoformat(), "via": "api"})
    return _state(svc, doc.id)


@router.put("/documents/{doc_id}/legal-hold", response_model=RetentionOut, summary="Place or lift a legal hold",
            **allow("admin", responses={**_404, **_501}))
def set_legal_hold(doc_id: str = DocId, body: LegalHoldIn = Body(...), token: ApiToken = Depends(current_token),
                   svc: Services = Depends(services)) -> RetentionOut:
    """While a legal hold is on, the original cannot be deleted whatever its retention. The same
    as `archivio hold ID --on/--off`."""
    _enforced(svc, "legal holds")
    doc = svc.archive.get_record(svc.archive.resolve(doc_id))
    svc.archive.set_legal_hold(doc.sha256, body.on)
    svc.audit.append(LEGAL_HOLD_SET, actor=token.actor, documents=[doc.id], details={"on": body.on, "via": "api"})
    return _state(svc, doc.id)
