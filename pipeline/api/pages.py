"""The web page: server-rendered HTML for archivists and auditors, in Italian and English.

Pages read through the same services as the JSON API (search is ``SearchIndex.search``, edits
go through ``PATCH /api/documents/{id}`` from a few lines of JavaScript), so the page can do
nothing the API would not allow the same token to do.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from ..audit import PREVIEWED, TEXT_READ, VIEWED
from ..index import SearchQuery
from ..index.base import HIGHLIGHT, party_key
from ..index.query import QueryValueError, parse_amount, parse_date_from, parse_date_to
from ..naming import counterparty
from ..einvoice.status import signature_statuses
from ..errors import ArchivioError
from ..records import DOC_CLASSES, Record
from ..extract import REQUIRED
from ..review import PAYMENT_WORDS, field_kinds, review_queue
from ..tokens import ApiToken
from .auth import COOKIE, allow, current_token, services
from .documents import DocId
from .i18n import LANG_COOKIE, LANGUAGES, Words, language
from .queries import as_params
from .search import run_search
from .saved import saved_searches
from .services import Services

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
SORTS = ("relevance", "-date", "date", "-amount", "amount")
PAGE_SIZE = 20


def highlight(snippet: str) -> Markup:
    """The index marks matches with «…»; escape everything else and turn the marks into <mark>."""
    text = str(escape(snippet))
    return Markup(text.replace(HIGHLIGHT[0], "<mark>").replace(HIGHLIGHT[1], "</mark>"))


def render(request: Request, template: str, status_code: int = 200, headers: dict | None = None,
           **context: Any) -> Response:
    lang = language(request)
    token: ApiToken | None = getattr(request.state, "token", None)
    here = dict(request.query_params)
    here.pop("lang", None)
    switch = {code: request.url.path + "?" + urlencode({**here, "lang": code}) for code in LANGUAGES}
    response = templates.TemplateResponse(request, template, {
        "t": Words(lang), "lang": lang, "switch": switch, "user": token, "highlight": highlight,
        "classes": DOC_CLASSES, **context}, status_code=status_code, headers=headers)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response


def error_page(request: Request, status: int, detail: str, headers: dict | None = None) -> Response:
    if status == 401:
        return render(request, "login.html", status, headers, next=_safe_next(str(request.url.path)), error=None)
    return render(request, "error.html", status, headers, code=status, detail=detail)


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never send someone elsewhere after signing in."""
    if not target or not target.startswith("/") or target.startswith("//") or target.startswith("/login"):
        return "/search"
    return target


# -- signing in ---------------------------------------------------------------------------------
@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/search", status_code=303)


@router.get("/login")
def login_form(request: Request, next: str = "/search") -> Response:
    return render(request, "login.html", next=_safe_next(next), error=None)


@router.post("/login")
def login(request: Request, token: str = Form(..., max_length=200), next: str = Form("/search"),
          svc: Services = Depends(services)) -> Response:
    found = svc.authenticate(token.strip())
    if found is None:
        return render(request, "login.html", 401, next=_safe_next(next), error="token_invalid")
    response = RedirectResponse(_safe_next(next), status_code=303)
    # The cookie names a server-side session, never the token: signing out ends it for good.
    response.set_cookie(COOKIE, svc.sessions.create(found.id), httponly=True, samesite="strict",
                        secure=svc.settings.api.secure_cookies, max_age=svc.sessions.seconds)
    return response


@router.post("/logout")
def logout(request: Request, svc: Services = Depends(services)) -> RedirectResponse:
    session = request.cookies.get(COOKIE)
    if session:
        svc.end_session(session)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


# -- search -------------------------------------------------------------------------------------
def _lenient_query(request: Request) -> tuple[SearchQuery, str, int]:
    """The search form's fields: empty ones are ignored, unreadable ones too (the form shows them)."""
    p = request.query_params

    def text(name: str) -> str | None:
        value = (p.get(name) or "").strip()
        return value[:300] or None

    problems: list[tuple[str, str]] = []  # (form field, what is wrong), shown beside the form

    def typed(name: str, read):
        try:
            return read(text(name))
        except QueryValueError as exc:
            problems.append((name, exc.reason))
            return None

    doc_class = text("class")
    review = text("needs_review")
    sort = text("sort") or "relevance"
    try:
        page = max(1, min(int(text("page") or 1), 500))
    except ValueError:
        page = 1
    query = SearchQuery(
        text=text("q") or "", doc_class=doc_class if doc_class in DOC_CLASSES else None,
        date_from=typed("from", parse_date_from), date_to=typed("to", parse_date_to),
        min_total=typed("min_total", parse_amount), max_total=typed("max_total", parse_amount),
        vendor=text("vendor"), vat=text("vat"), tag=text("tag"), correspondent=party_key(c) if (c := text("correspondent")) else None,
        needs_review=True if review in ("true", "on", "1") else None,
        sort=sort if sort in SORTS else "relevance", size=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
    )
    request.state.form_problems = problems
    return query, sort if sort in SORTS else "relevance", page


@router.get("/search", **allow("archivist", "auditor"))
def search_page(request: Request, svc: Services = Depends(services)) -> Response:
    query, sort, page = _lenient_query(request)
    results = run_search(svc, query)
    params = as_params(query)
    base = {**params, **({"sort": sort} if sort != "relevance" else {})}

    def link(**change: Any) -> str:
        merged = {**base, **{k: v for k, v in change.items() if v is not None}}
        for k, v in change.items():
            if v is None:
                merged.pop(k, None)
        return "/search?" + urlencode(merged)

    def month(value: str) -> dict[str, Any]:
        """A month facet ("2024-03") as a date range filter."""
        try:
            first = dt.date.fromisoformat(value + "-01")
        except ValueError:
            return {"page": None}
        last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        return {"from": first.isoformat(), "to": last.isoformat(), "page": None}

    return render(request, "search.html", query=query, results=results, sort=sort, page=page, sorts=SORTS,
                  signatures=signature_statuses(svc.archive, results.hits),
                  link=link, month=month, export_url="/api/export?" + urlencode(params), page_size=PAGE_SIZE,
                  first=(page - 1) * PAGE_SIZE + 1, problems=request.state.form_problems,
                  office_searches=office_searches(),
                  my_searches=saved_searches(svc).list(request.state.token))


def office_searches(today: dt.date | None = None) -> list[tuple[str, str]]:
    """The searches every desk starts from (the page adds each person's own, kept in their browser)."""
    today = today or dt.date.today()
    first = today.replace(day=1)
    return [("ss_review_invoices", "/search?" + urlencode({"class": "invoice", "needs_review": "true"})),
            ("ss_receipts_month", "/search?" + urlencode({"class": "receipt", "from": first.isoformat(),
                                                          "to": today.isoformat()})),
            ("ss_latest", "/search")]


# -- one document -------------------------------------------------------------------------------
@router.get("/documents/{doc_id}", **allow("archivist", "auditor"))
def document_page(request: Request, doc_id: str = DocId, token: ApiToken = Depends(current_token),
                  svc: Services = Depends(services)) -> Response:
    record = svc.archive.get_record(svc.archive.resolve(doc_id))
    svc.audit.append(VIEWED, actor=token.actor, documents=[record.id], details={"via": "web"})
    kinds = field_kinds(record.doc_class)
    required = REQUIRED.get(record.doc_class, ())
    missing = [n for n in kinds if n not in record.fields]
    names = list(record.fields) + sorted(missing, key=lambda n: n not in required)  # required gaps first
    rows = []
    t = Words(language(request))
    for name in names:
        f = record.fields.get(name)
        value = f.value if f else None
        kind = kinds.get(name, "text")
        rows.append({
            "name": name, "kind": kind, "field": f,
            # shown and edited the reader's way (03/09/2025, 1.451,80); the API reads either form back
            "text": "; ".join(value) if isinstance(value, list) else _editable(t, value, kind),
            "error": t.message(f.error) if f and f.error else "",
            "low": f is not None and f.confidence < svc.settings.api.low_confidence,
            "invalid": f is not None and f.valid is False,
            "required_missing": f is None and name in REQUIRED.get(record.doc_class, ()),
        })
    shown = request.query_params.get("audit", "changes")
    shown = shown if shown in AUDIT_VIEWS else "changes"
    audit = svc.audit.for_document(record.id) if token.role == "auditor" else []
    audit_counts = {view: sum(1 for e in audit if _audit_view(e.action) == view) for view in ("changes", "views")}
    audit = [e for e in audit if shown == "all" or _audit_view(e.action) == shown]
    history = [{"entry": h, "lines": [(k, t.change(k, v, kinds, record.field_value("currency")))
                                      for k, v in h.changes.items()]} for h in record.history]
    first, last = record.page_range()
    return render(request, "document.html", record=record, rows=rows, audit=audit, audit_shown=shown,
                  audit_counts=audit_counts, history=history, title=document_title(record, t),
                  can_edit=token.role == "archivist", can_verify=token.role == "auditor",
                  pages=range(first, last + 1), low_confidence=svc.settings.api.low_confidence,
                  parts=_stack_parts(svc, record))


def _stack_parts(svc: Services, record: Record) -> list[Record]:
    """The documents of a scanned stack, for its page. Other linked documents (an e-invoice's
    attachments, still being read) are listed by id only."""
    parts = []
    for part_id in record.parts:
        if not part_id.startswith(record.id + "-"):
            continue
        try:
            part = svc.archive.get_record(part_id)
        except ArchivioError:
            continue
        if part.parent is not None and part.parent.relation == "stack-part":
            parts.append(part)
    return parts


@router.post("/documents/{doc_id}/boundary", **allow("archivist"))
def move_boundary_form(request: Request, doc_id: str = DocId, first: int = Form(..., ge=1, le=100_000),
                       version: int = Form(..., ge=1), token: ApiToken = Depends(current_token),
                       svc: Services = Depends(services)) -> Response:
    """The document page's "first page" form: moves the boundary, then shows the document again."""
    from ..split.refile import Refiler

    part_id = svc.archive.resolve(doc_id)
    Refiler(svc.settings, svc.archive, svc.reviewer, svc.audit).move_boundary(part_id, first, version=version,
                                                                              by=token.actor)
    return RedirectResponse(f"/documents/{part_id}", status_code=303)


AUDIT_VIEWS = ("changes", "views", "all")
# Looking is recorded but kept apart from what changes or takes documents out of the archive.
_LOOKING = {VIEWED, PREVIEWED, TEXT_READ}


def _audit_view(action: str) -> str:
    return "views" if action in _LOOKING else "changes"


def _editable(t: Words, value: Any, kind: str) -> str:
    if value in (None, ""):
        return ""
    if kind == "date":
        return t.date(str(value))
    if kind == "amount":
        return t.number(value)
    return t.value(value) if str(value) in PAYMENT_WORDS.values() else str(value)


def document_title(record, t: Words) -> str:
    """"Fattura 417/B — Officine Meccaniche Brenta S.r.l. — 1.451,80 €"; parts not read are left out."""
    f = record.field_value
    head = t(record.doc_class) + (f" {f('number')}" if f("number") else "")
    total = f("total_amount")
    parts = [head, counterparty(record), t.amount(total, f("currency")) if total else None]
    return " — ".join(p for p in parts if p)


# -- the review queue ---------------------------------------------------------------------------
@router.get("/review", **allow("archivist"))
def review_page(request: Request, svc: Services = Depends(services)) -> Response:
    try:
        page = max(1, min(int(request.query_params.get("page", "1")), 500))
    except ValueError:
        page = 1
    results = review_queue(svc.index, size=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    reasons = {}
    for hit in results.hits:
        try:
            reasons[hit.id] = svc.archive.get_record(hit.id).review_reasons
        except Exception:  # noqa: BLE001 - a record the index knows but the store lost still gets listed
            reasons[hit.id] = []
    return render(request, "review.html", results=results, reasons=reasons, page=page, page_size=PAGE_SIZE)

