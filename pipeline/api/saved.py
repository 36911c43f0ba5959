"""Each person's saved searches, kept on the server beside the documents so they follow the
person to any browser and any API server on the same store.

A person is the name of their token (a new token for the same name keeps the searches). A saved
search is a name and the query string of the search page (``q=fattura&class=invoice``), never a
URL: it can only ever lead to /search. Creating, renaming and deleting one are audited like other
changes people make; listing is not (it is reading one's own settings).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import threading
import unicodedata
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, HTTPException, Path, Response
from pydantic import BaseModel, Field, field_validator

from ..audit import SEARCH_DELETED, SEARCH_RENAMED, SEARCH_SAVED, AuditLog
from ..errors import NotFoundError
from ..store.base import ObjectStore
from ..tokens import ApiToken
from .auth import allow, current_token, problem, services
from .services import Services

PREFIX = "searches/"
MAX_SEARCHES = 100  # per person
# The search page's own parameters; anything else in a saved query string is dropped.
SEARCH_PARAMS = ("q", "class", "from", "to", "min_total", "max_total", "vendor", "vat", "name", "taxcode",
                 "needs_review", "folder", "tag", "correspondent", "sort")

router = APIRouter(prefix="/api", tags=["saved searches"])
SearchId = Path(..., pattern=r"^[0-9a-f]{16}$", description="The saved search's id.")


class SavedSearch(BaseModel):
    id: str
    name: str
    query: str = Field(description="The search page's query string, e.g. `q=fattura&class=invoice`.")
    created_at: dt.datetime


class RenameIn(BaseModel):
    name: str = Field(min_length=1, max_length=60)

    @field_validator("name")
    @classmethod
    def _named(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("a saved search needs a name")
        return value


class SavedSearchIn(RenameIn):
    query: str = Field("", max_length=2000, description="The search page's query string (a leading '?' or "
                       "'/search?' is accepted); unknown parameters are dropped.")


def clean_query(text: str) -> str:
    """Only the search page's parameters, re-encoded: a saved search can lead nowhere else."""
    text = text.strip()
    for lead in ("/search?", "?"):
        if text.startswith(lead):
            text = text[len(lead):]
            break
    pairs = [(k, v) for k, v in parse_qsl(text, keep_blank_values=False) if k in SEARCH_PARAMS and v.strip()]
    return urlencode(pairs)


class SavedSearches:
    def __init__(self, store: ObjectStore, audit: AuditLog):
        self.store = store
        self.audit = audit
        self._lock = threading.Lock()

    @staticmethod
    def _key(owner: ApiToken) -> str:
        person = " ".join(unicodedata.normalize("NFKC", owner.name).casefold().split())
        return f"{PREFIX}{hashlib.sha256(person.encode()).hexdigest()[:32]}.json"

    def list(self, owner: ApiToken) -> list[SavedSearch]:
        key = self._key(owner)
        if not self.store.exists(key):
            return []
        return [SavedSearch.model_validate(item) for item in json.loads(self.store.get_bytes(key))]

    def _write(self, owner: ApiToken, items: list[SavedSearch]) -> None:
        data = json.dumps([i.model_dump(mode="json") for i in items], ensure_ascii=False, indent=1).encode()
        self.store.put_bytes(self._key(owner), data, content_type="application/json")

    def create(self, owner: ApiToken, name: str, query: str) -> SavedSearch:
        with self._lock:
            items = [i for i in self.list(owner) if i.name.casefold() != name.casefold()]  # same name: replaced
            if len(items) >= MAX_SEARCHES:
                raise HTTPException(409, f"at most {MAX_SEARCHES} saved searches each: delete one first")
            item = SavedSearch(id=secrets.token_hex(8), name=name, query=clean_query(query),
                               created_at=dt.datetime.now(dt.timezone.utc))
            self._write(owner, [*items, item])
        self.audit.append(SEARCH_SAVED, actor=owner.actor, details={"search": item.id, "name": name, "query": item.query})
        return item

    def rename(self, owner: ApiToken, search_id: str, name: str) -> SavedSearch:
        with self._lock:
            items = self.list(owner)
            item = self._find(items, search_id)
            if any(i.name.casefold() == name.casefold() and i.id != search_id for i in items):
                raise HTTPException(409, f"you already have a saved search named {name!r}")
            old, item.name = item.name, name
            self._write(owner, items)
        self.audit.append(SEARCH_RENAMED, actor=owner.actor, details={"search": search_id, "from": old, "name": name})
        return item

    def delete(self, owner: ApiToken, search_id: str) -> None:
        with self._lock:
            items = self.list(owner)
            item = self._find(items, search_id)
            self._write(owner, [i for i in items if i.id != search_id])
        self.audit.append(SEARCH_DELETED, actor=owner.actor, details={"search": search_id, "name": item.name})

    @staticmethod
    def _find(items: list[SavedSearch], search_id: str) -> SavedSearch:
        for item in items:
            if item.id == search_id:
                return item
        raise NotFoundError(f"no saved search {search_id} of yours")


def saved_searches(svc: Services) -> SavedSearches:
    return SavedSearches(svc.archive.store, svc.audit)


_ROLES = ("archivist", "auditor")
_MISSING = {404: problem("No saved search of yours has this id.")}


@router.get("/saved-searches", response_model=list[SavedSearch], summary="Your saved searches", **allow(*_ROLES))
def list_searches(token: ApiToken = Depends(current_token), svc: Services = Depends(services)) -> list[SavedSearch]:
    """The searches you saved, oldest first (each person sees only their own)."""
    return saved_searches(svc).list(token)


@router.post("/saved-searches", response_model=SavedSearch, status_code=201, summary="Save a search",
             **allow(*_ROLES, responses={409: problem("Too many saved searches.")}))
def create_search(body: SavedSearchIn, token: ApiToken = Depends(current_token),
                  svc: Services = Depends(services)) -> SavedSearch:
    """Saving under a name you already use replaces that search."""
    return saved_searches(svc).create(token, body.name, body.query)


@router.patch("/saved-searches/{search_id}", response_model=SavedSearch, summary="Rename a saved search",
              **allow(*_ROLES, responses={**_MISSING, 409: problem("Another of your searches has that name.")}))
def rename_search(body: RenameIn, search_id: str = SearchId, token: ApiToken = Depends(current_token),
                  svc: Services = Depends(services)) -> SavedSearch:
    return saved_searches(svc).rename(token, search_id, body.name)


@router.delete("/saved-searches/{search_id}", status_code=204, summary="Delete a saved search",
               **allow(*_ROLES, responses=_MISSING))
def delete_search(search_id: str = SearchId, token: ApiToken = Depends(current_token),
                  svc: Services = Depends(services)) -> Response:
    saved_searches(svc).delete(token, search_id)
    return Response(status_code=204)
