"""The JSON shapes the API answers with (they make the OpenAPI schema)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import AwareDatetime, BaseModel, Field, field_validator

from ..audit import AuditEntry, ChainReport
from ..tokens import ApiToken, Role


class Problem(BaseModel):
    detail: str = Field(description="What went wrong, in one sentence (Italian or English: ?lang=, "
                                    "Accept-Language).")


class HitOut(BaseModel):
    id: str
    score: float
    doc_class: str = Field(serialization_alias="class")
    filename: str
    folder: str
    date: str | None
    total: str | None
    currency: str | None
    vendor: str | None
    number: str | None
    needs_review: bool
    snippet: str = Field(description="Matched words wrapped in « and ».")
    tags: list[str] = Field(default_factory=list, description="The office's tags on the document.")


class FacetCount(BaseModel):
    value: str
    count: int


class SearchOut(BaseModel):
    total: int
    hits: list[HitOut]
    facets: dict[str, list[FacetCount]]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")
    partial: bool = Field(False, description="No document matched every word: these are the closest matches.")
    names: dict[str, str] = Field(default_factory=dict, description="The name of each key in the "
                                  "`correspondent` facet (its most used spelling); pass the key as `correspondent`.")


class ReviewedIn(BaseModel):
    version: int = Field(ge=1, description="The record version the reviewer looked at.")
    note: str = Field("", max_length=2000)


class BoundaryIn(BaseModel):
    version: int = Field(ge=1, description="The version of the stack part the archivist looked at.")
    first: int = Field(ge=1, le=100_000, description="The stack page that is to be this document's first page.")


class FixityOut(BaseModel):
    id: str
    filename: str
    ok: bool
    expected: str
    actual: str | None
    size: int | None
    problem: str | None


class AuditPage(BaseModel):
    entries: list[AuditEntry]
    next_after: int | None = Field(description="Pass as `after` for the next page; null at the end.")


class ChainProblemOut(BaseModel):
    seq: int
    kind: str
    message: str


class ChainOut(BaseModel):
    ok: bool
    entries: int
    head_seq: int
    head_hash: str
    problem: ChainProblemOut | None

    @classmethod
    def of(cls, report: ChainReport) -> ChainOut:
        p = report.problem
        return cls(ok=report.ok, entries=report.entries, head_seq=report.head_seq, head_hash=report.head_hash,
                   problem=ChainProblemOut(seq=p.seq, kind=p.kind, message=p.message) if p else None)


class TokenOut(BaseModel):
    id: str
    name: str
    role: Role
    created_at: dt.datetime
    created_by: str
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    revoked_by: str | None
    active: bool

    @classmethod
    def of(cls, token: ApiToken) -> TokenOut:
        return cls(**token.model_dump(exclude={"sha256"}), active=token.active())


class TokenIn(BaseModel):
    # Letters, digits and plain punctuation only: no control or invisible characters in the audit log.
    name: str = Field(min_length=1, max_length=80, pattern=r"^ *[\w.,@+()'&/:#-][\w .,@+()'&/:#-]*$",
                      description="Who or what will use the token (letters, digits, spaces and .,@+()'&/:#-); "
                                  "never reused, not even after a revocation.")
    role: Role
    expires_days: int | None = Field(None, ge=1, le=3650)


class TokenCreated(BaseModel):
    token: TokenOut
    secret: str = Field(description="The token itself. Shown this once: store it now.")


class RetentionIn(BaseModel):
    mode: Literal["GOVERNANCE", "COMPLIANCE"] = Field(description="COMPLIANCE can never be lifted or shortened, "
                                                                   "by anyone; GOVERNANCE by no one through Archivio.")
    until: AwareDatetime = Field(description="Retain until (with a time zone); later than the current date.")

    @field_validator("until")
    @classmethod
    def _in_the_future(cls, until: dt.datetime) -> dt.datetime:
        if until <= dt.datetime.now(dt.timezone.utc):
            raise ValueError("the retain-until date must be in the future")
        return until


class LegalHoldIn(BaseModel):
    on: bool


class RetentionOut(BaseModel):
    id: str
    key: str
    retention_mode: str | None
    retain_until: dt.datetime | None
    legal_hold: bool
    store: str
    store_supports_retention: bool
    store_supports_legal_hold: bool
