"""Sign-ins of the web page, kept by the server: the cookie carries a random session id, never
the API token, so a stolen or logged cookie ends with the session, and signing out ends it
everywhere at once.

The store keeps, under ``sessions/<sha256 of the id>.json``, only the token id and the expiry:
every API server on the same store knows the same sessions, a copy of the store yields no usable
cookie, and revoking the token ends its sessions too (the token is checked on every request).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets

from ..errors import NotFoundError
from ..store.base import ObjectStore

PREFIX = "sessions/"
_SESSION = re.compile(r"^ses_[A-Za-z0-9_\-]{43}$")


def _key(session: str) -> str:
    return f"{PREFIX}{hashlib.sha256(session.encode()).hexdigest()}.json"


def looks_like_session(value: str) -> bool:
    return bool(_SESSION.match(value))


class Sessions:
    def __init__(self, store: ObjectStore, hours: float):
        self.store = store
        self.lifetime = dt.timedelta(hours=hours)

    def create(self, token_id: str) -> str:
        session = "ses_" + secrets.token_urlsafe(32)
        now = dt.datetime.now(dt.timezone.utc)
        self.store.put_bytes(_key(session), json.dumps({
            "token": token_id, "created_at": now.isoformat(), "expires_at": (now + self.lifetime).isoformat(),
        }).encode(), content_type="application/json")
        return session

    def token_id(self, session: str) -> str | None:
        """The token a live session was opened with, or None (unknown, ended or expired)."""
        if not looks_like_session(session):
            return None
        try:
            data = json.loads(self.store.get_bytes(_key(session)))
            expires = dt.datetime.fromisoformat(data["expires_at"])
            token_id = str(data["token"])
        except NotFoundError:
            return None
        except (ValueError, KeyError, TypeError):
            return None
        if expires <= dt.datetime.now(dt.timezone.utc):
            self.end(session)
            return None
        return token_id

    def end(self, session: str) -> None:
        if looks_like_session(session):
            try:
                self.store.delete(_key(session))
            except NotFoundError:
                pass

    @property
    def seconds(self) -> int:
        return int(self.lifetime.total_seconds())
