"""The FastAPI application: the JSON API under /api, the web page at /, one set of services."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..config import Settings
from ..errors import (ArchivioError, ConflictError, IndexUnavailableError, NotFoundError, ReadError,
                      RetentionLockedError, StoreUnavailableError)
from ..index.query import QueryValueError
from ..review import ReviewError
from ..tokens import TokenError
from . import admin, auditing, documents, office, operations, pages, preservation, saved, search
from .guard import Guard
from .i18n import Words, language
from .invalid import one_line, reader_language
from .schemas import Problem
from .services import Services

log = logging.getLogger(__name__)
HERE = Path(__file__).parent

# Routes anyone may call: the sign-in page, static assets, the schema and its viewer, health.
PUBLIC_PATHS = {"/", "/login", "/logout", "/static", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc", "/healthz",
                "/readyz", "/metrics"}


def _status(exc: ArchivioError) -> int:
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, (ConflictError, RetentionLockedError)):
        return 409
    if isinstance(exc, (ReviewError, TokenError, QueryValueError, ReadError)):
        return 422  # ReadError: a page that cannot be rendered is the document's problem, not the server's
    if isinstance(exc, (StoreUnavailableError, IndexUnavailableError)):
        return 503
    return 500


def create_app(settings: Settings, services: Services | None = None) -> FastAPI:
    svc = services or Services.from_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        svc.close()

    app = FastAPI(
        title="Archivio",
        version=__version__,
        summary="Search, review, verify and export the documents Archivio has filed.",
        description="Authenticate with an API token (`archivio token create --role ROLE --name NAME`) sent as "
                    "`Authorization: Bearer <token>`. Each operation lists the roles it admits under `x-roles`.",
        lifespan=lifespan,
    )
    app.state.services = svc
    app.state.settings = settings
    app.include_router(search.router)
    app.include_router(documents.router)
    app.include_router(office.router)
    app.include_router(saved.router)
    app.include_router(auditing.router)
    app.include_router(admin.router)
    app.include_router(preservation.router)
    app.include_router(pages.router)
    app.include_router(operations.router)
    operations.instrument(app)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_middleware(Guard, services=svc, limits=settings.limits)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.exception_handler(ArchivioError)
    async def archivio_error(request: Request, exc: ArchivioError) -> Response:
        status = _status(exc)
        if status >= 500:
            log.error("%s %s failed: %s", request.method, request.url.path, exc, exc_info=exc)
        return _problem(request, status, exc.reason)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        # The default handler echoes the input back and fails (500) on what JSON cannot hold: 1e400 is inf.
        # Its details are pydantic's: one line for a person instead, in the reader's language.
        detail = one_line(exc.errors(), reader_language(request) if request.url.path.startswith("/api")
                          else language(request))
        if request.url.path.startswith("/api"):
            return JSONResponse({"detail": detail}, status_code=422)
        return pages.error_page(request, 422, detail)

    # FastAPI's HTTPException is a Starlette one: this handler serves both.
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _problem(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    app.openapi_schema = None
    _add_problem_schema(app)
    return app


def _problem(request: Request, status: int, detail: str, headers: dict | None = None) -> Response:
    if request.url.path.startswith("/api") or request.url.path == "/openapi.json":
        lang = reader_language(request)
        if lang != "en" or request.headers.get("x-requested-with") == "archivio":
            # The page's own calls show the message to a person, and a client may ask for a language.
            detail = Words(lang).message(detail)
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)
    return pages.error_page(request, status, detail, headers)


def _add_problem_schema(app: FastAPI) -> None:
    """Error answers share one documented shape (``Problem``); the schema must name it."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        schemas["Problem"] = Problem.model_json_schema()
        # FastAPI documents its own 422 as pydantic's error list; invalid_request answers a Problem.
        for operation in (op for path in schema.get("paths", {}).values() for op in path.values() if isinstance(op, dict)):
            invalid = operation.get("responses", {}).get("422")
            if invalid and "HTTPValidationError" in str(invalid.get("content", "")):
                invalid["content"] = {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
                invalid["description"] = "A parameter or body that does not fit, said in one line."
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]

