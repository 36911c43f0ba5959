"""Who is calling, and may they: API tokens in ``Authorization: Bearer`` or the login cookie.

Every route that is not public declares the roles it admits with ``allow(...)``; that one call
adds the check, documents the roles in the OpenAPI schema (``x-roles``) and lists the 401/403
answers, so a route cannot be added without saying who may use it (a test walks every route).

The web page signs in with a server-side session (``sessions.py``): an HttpOnly, SameSite=Strict
cookie holds the session id, never the token. A request authenticated by that cookie that
changes something must also carry ``X-Requested-With: archivio``, which a form on another site
cannot send: no cross-site request forgery.
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ..tokens import ApiToken, Role
from .services import Services

COOKIE = "archivio_session"
CSRF_HEADER = "x-requested-with"
CSRF_VALUE = "archivio"
_SAFE = {"GET", "HEAD", "OPTIONS"}

bearer = HTTPBearer(auto_error=False, description="An API token made with `archivio token create`.")


def services(request: Request) -> Services:
    return request.app.state.services


class Unauthorized(HTTPException):
    def __init__(self, detail: str):
        super().__init__(401, detail, headers={"WWW-Authenticate": "Bearer"})


def presented_token(svc: Services, authorization: str | None, cookie: str | None) -> tuple[ApiToken | None, bool]:
    """The token a request proves, and whether it came by the session cookie (also used by the
    body guard, before any body is read)."""
    scheme, _, value = (authorization or "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return svc.authenticate(value.strip()), False
    if cookie:
        return svc.authenticate_session(cookie), True
    return None, False


def current_token(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
                  svc: Services = Depends(services)) -> ApiToken:
    presented = credentials.credentials if credentials else request.cookies.get(COOKIE)
    if not presented:
        raise Unauthorized("sign in: send an API token as 'Authorization: Bearer <token>'")
    token = svc.authenticate(presented) if credentials else svc.authenticate_session(presented)
    if token is None:
        raise Unauthorized("the token is not valid: unknown, revoked or expired")
    if credentials is None and request.method not in _SAFE and request.headers.get(CSRF_HEADER) != CSRF_VALUE:
        raise HTTPException(403, f"a change made with the login cookie needs the header '{CSRF_HEADER}: {CSRF_VALUE}'")
    request.state.token = token
    return token


class _Allow:
    def __init__(self, roles: tuple[Role, ...]):
        self.roles = roles

    def __call__(self, token: ApiToken = Depends(current_token)) -> ApiToken:
        if token.role not in self.roles:
            raise HTTPException(403, f"this needs the role {' or '.join(self.roles)}; "
                                     f"the token '{token.name}' has the role {token.role}")
        return token


def problem(description: str) -> dict[str, Any]:
    """An error answer in the schema: JSON ``Problem`` whatever the route's own media type."""
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def allow(*roles: Role, responses: dict[int | str, Any] | None = None) -> dict[str, Any]:
    """Route options that admit only ``roles`` (spread into the route decorator)."""
    return {
        "dependencies": [Depends(_Allow(roles))],
        "openapi_extra": {"x-roles": list(roles)},
        "responses": {
            401: problem("No token, or a token that is unknown, revoked or expired."),
            403: problem(f"The token's role is not one of: {', '.join(roles)}."),
            **(responses or {}),
        },
    }


def roles_of(route: Any) -> list[str] | None:
    """The roles a route admits, as declared with ``allow`` (None: the route is public)."""
    extra = getattr(route, "openapi_extra", None) or {}
    return extra.get("x-roles")
