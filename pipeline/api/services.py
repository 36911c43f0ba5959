"""What the HTTP app works with, assembled once from the settings and shared by every request."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from ..audit import AuditLog
from ..config import Settings
from ..export import Exporter
from ..index import SearchIndex, open_index
from ..review import Reviewer
from ..store import Archive, open_archive
from ..tokens import ApiToken, TokenStore
from .preview import Previews

# A revoked token stops working within this many seconds on every server.
TOKEN_CACHE_SECONDS = 5.0


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
            previews=Previews(archive, settings.preview_cache_path, settings.api.preview_width),
        )

    def authenticate(self, presented: str) -> ApiToken | None:
        now = time.monotonic()
        with self._lock:
            cached = self._token_cache.get(presented)
            if cached and now - cached[0] < TOKEN_CACHE_SECONDS:
                return cached[1]
        token = self.tokens.authenticate(presented)
        with self._lock:
            if len(self._token_cache) > 10_000:
                self._token_cache.clear()
            self._token_cache[presented] = (now, token)
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
