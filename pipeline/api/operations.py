"""For operators and orchestrators: readiness, Prometheus metrics, and the notes workers on other
machines leave in the store (documents they quarantined, duplicates the watcher turned away)."""

from __future__ import annotations

import time
from typing import Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest

from ..errors import ArchivioError
from .auth import allow, services
from .services import Services

router = APIRouter(tags=["operations"])
REQUESTS = Counter("archivio_api_requests_total", "API requests answered, by method and status", ["method", "status"])
LATENCY = Histogram("archivio_api_request_seconds", "Time to answer an API request", ["method"])


@router.get("/readyz", include_in_schema=False)
def readyz(svc: Services = Depends(services)) -> Response:
    """200 when the store and the index answer (a load balancer may send requests), else 503."""
    checks: dict[str, str] = {}
    for name, check in (("store", svc.archive.store.check), ("index", svc.index.check)):
        try:
            check()
            checks[name] = "ok"
        except ArchivioError as exc:
            checks[name] = exc.reason
        except Exception as exc:  # a probe answers, whatever the client library raised
            checks[name] = f"{type(exc).__name__}: {exc}"
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse({"status": "ready" if ready else "not ready", **checks}, status_code=200 if ready else 503)


@router.get("/metrics", include_in_schema=False)
def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


@router.get("/api/admin/notes", summary="Quarantine and duplicate notes left in the store by distributed mode",
            **allow("admin"))
def notes(kind: Literal["quarantine", "duplicates"] = Query("quarantine"),
          limit: int = Query(50, ge=1, le=500), svc: Services = Depends(services)) -> list[dict[str, Any]]:
    """Workers on other machines cannot reach the office's folders: why a document could not be
    filed, and which files were exact copies, are kept under ``notes/`` in the store."""
    from ..queue import notes as store_notes  # no Celery import: notes only read the store

    prefix = store_notes.QUARANTINE if kind == "quarantine" else store_notes.DUPLICATES
    return store_notes.listing(svc.archive, prefix, limit)


def instrument(app: FastAPI) -> None:
    @app.middleware("http")
    async def count(request: Request, call_next):
        started = time.monotonic()
        response = await call_next(request)
        REQUESTS.labels(request.method, str(response.status_code)).inc()
        LATENCY.labels(request.method).observe(time.monotonic() - started)
        return response
