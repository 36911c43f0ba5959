"""What the HTTP app works with, assembled once from the settings and shared by every request."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field

from ..audit import AuditLog
from ..config import Settings
from ..errors import NotFoundError
from ..export import Exporter
from ..index import SearchIndex, open_index
from ..review import Reviewer
from ..store import Archive, open_archive
from ..tokens import ApiToken, TokenStore
from .preview import Previews
from .sessions import Sessions

# A token revoked on another server stops working here within this many seconds.
TOKEN_CACHE_SECONDS = 5.0
MAX_CREDENTIAL = 200  # characters: real tokens and sessions are under 100


def _digest(credential: str) -> str:
    return hashlib.sha256(credential.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class Services:
    settings: Settings
    archive: Archive
    index: SearchIndex
    audit: AuditLog
    tokens: TokenStore
    reviewer: Reviewer
    exporter: Exporter
    previews: Previews
    sessions: Sessions
    _token_cache: dict[str, tuple[float, ApiToken | None]] = field(default_factory=dict)
    _recent_previews: dict[tuple[str, str], float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def from_settings(cls, settings: Settings) -> Services:
        archive = open_archive(settings)
        archive.store.check()
        index = open_index(settings)
        audit = AuditLog(archive.store)
        return cls(
            settings=settings, archive=archive, index=index, audit=audit,
            tokens=TokenStore(archive.store, audit),
            reviewer=Reviewer(archive, index, audit, settings.retention,
                              min_key_confidence=settings.review.min_key_confidence),
            exporter=Exporter(archive, audit),
            previews=Previews(archive, settings.preview_cache_path, settings.api.preview_width,
                              settings.limits.preview_max_pixels),
            sessions=Sessions(archive.store, settings.limits.session_hours),
        )

    def authenticate(self, presented: str) -> ApiToken | None:
        """The active token ``presented`` proves (cached a few seconds; revoking here ends it at once)."""
        if len(presented) > MAX_CREDENTIAL:
            return None  # no token is that long: nothing to look up, nothing to remember
        return self._cached(presented, lambda: self.tokens.authenticate(presented))

    def authenticate_session(self, session: str) -> ApiToken | None:
        """The active token behind a web page session (None once it ended, expired or the token was revoked)."""
        if len(session) > MAX_CREDENTIAL:
            return None

        def lookup() -> ApiToken | None:
            token_id = self.sessions.token_id(session)
            if token_id is None:
                return None
            try:
                token = self.tokens.get(token_id)
            except NotFoundError:
                return None
            return token if token.active() else None

        return self._cached(session, lookup)

    def end_session(self, session: str) -> None:
        self.sessions.end(session)
        with self._lock:
            self._token_cache.pop(_digest(session), None)

    def forget_token(self, token_id: str) -> None:
        """A token revoked through this server stops working here now, not after the cache's seconds."""
        with self._lock:
            self._token_cache = {k: v for k, v in self._token_cache.items() if v[1] is None or v[1].id != token_id}

    def _cached(self, credential: str, lookup) -> ApiToken | None:
        # Keyed by a digest: a flood of long bogus credentials costs 64 bytes each, not their length.
        key = _digest(credential)
        now = time.monotonic()
        with self._lock:
            cached = self._token_cache.get(key)
            if cached and now - cached[0] < TOKEN_CACHE_SECONDS:
                return cached[1]
        token = lookup()
        with self._lock:
            if len(self._token_cache) > 10_000:
                self._token_cache = {k: v for k, v in self._token_cache.items()
                                     if v[1] is not None and now - v[0] < TOKEN_CACHE_SECONDS}
            self._token_cache[key] = (now, token)
        return token

    def first_preview(self, token: ApiToken, doc_id: str, window: float = 600.0) -> bool:
        """True once per token and document per ``window`` seconds: page images are audited, not each one."""
        now = time.monotonic()
        key = (token.id, doc_id)
        with self._lock:
            last = self._recent_previews.get(key)
            if last is not None and now - last < window:
                return False
            if len(self._recent_previews) > 50_000:
                self._recent_previews = {k: t for k, t in self._recent_previews.items() if now - t < window}
            self._recent_previews[key] = now
            return True

    def close(self) -> None:
        self.index.close()
        self.archive.store.close()
