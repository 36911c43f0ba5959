"""API tokens: who may use the HTTP API and the web page, and in which role.

A token is shown once, when it is created, as ``arc_<id>_<secret>``; the store keeps only its
SHA-256 under ``tokens/<id>.json`` beside the documents, so every API server on the same store
accepts the same tokens and a leaked store copy yields no usable token. The secret has 256 bits
of entropy, so a plain SHA-256 (not a slow password hash) is the right tool: nothing to guess.

Roles (separation of duties, nobody holds every power):
  * archivist — search, view, correct and mark reviewed;
  * auditor   — search, view, verify, export, read the audit log; changes nothing;
  * admin     — tokens, retention and legal hold; does not read documents.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import unicodedata
from typing import Literal

from pydantic import BaseModel

from .audit import TOKEN_CREATED, TOKEN_REVOKED, Actor, AuditLog
from .errors import ArchivioError, ConflictError, NotFoundError
from .store.base import ObjectStore

Role = Literal["archivist", "auditor", "admin"]
ROLES: tuple[Role, ...] = ("archivist", "auditor", "admin")
PREFIX = "tokens/"
_TOKEN = re.compile(r"^arc_([0-9a-f]{10})_([A-Za-z0-9_\-]{20,})$")


class TokenError(ArchivioError):
    stage = "tokens"


class ApiToken(BaseModel):
    id: str
    name: str
    role: Role
    sha256: str
    created_at: dt.datetime
    created_by: str
    expires_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None
    revoked_by: str | None = None

    def active(self, now: dt.datetime | None = None) -> bool:
        now = now or dt.datetime.now(dt.timezone.utc)
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    @property
    def actor(self) -> Actor:
        return Actor(self.name, self.role, self.id)


# Control, format (zero-width, bidi), separators other than space, private use, unassigned.
_HIDDEN = {"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"}


def _comparable(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenStore:
    def __init__(self, store: ObjectStore, audit: AuditLog):
        self.store = store
        self.audit = audit

    def create(self, name: str, role: str, *, by: Actor, expires_days: int | None = None) -> tuple[ApiToken, str]:
        """A new token; the secret string is returned here and never again."""
        name = name.strip()
        if role not in ROLES:
            raise TokenError(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
        if not name or len(name) > 80:
            raise TokenError("a token needs a name of 1 to 80 characters (who or what will use it)")
        hidden = [ch for ch in name if unicodedata.category(ch) in _HIDDEN]
        if hidden:
            raise TokenError(f"a token name may not hold control or invisible characters "
                             f"({', '.join(f'U+{ord(ch):04X}' for ch in hidden[:3])}): the audit log must show "
                             "who acted, unambiguously")
        # Names are never reused, not even after a revocation, nor in a form that only looks
        # different (full-width letters, another case): two tokens' entries must never read alike.
        taken = next((t for t in self.list() if _comparable(t.name) == _comparable(name)), None)
        if taken is not None:
            state = "an active" if taken.active() else "a revoked"
            raise ConflictError(f"{state} token is already named {taken.name!r} (id {taken.id}); token names are "
                                "never reused: choose another name", stage="tokens")
        token_id = secrets.token_hex(5)
        secret = f"arc_{token_id}_{secrets.token_urlsafe(32)}"
        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        token = ApiToken(id=token_id, name=name, role=role, sha256=_digest(secret), created_at=now, created_by=str(by),
                         expires_at=now + dt.timedelta(days=expires_days) if expires_days else None)
        self.store.put_bytes(f"{PREFIX}{token_id}.json", token.model_dump_json(indent=1).encode(),
                             content_type="application/json")
        self.audit.append(TOKEN_CREATED, actor=by, details={"token": token_id, "name": name, "role": role,
                                                            "expires_at": token.expires_at.isoformat() if token.expires_at else None})
        return token, secret

    def list(self) -> list[ApiToken]:
        tokens = [self.get(key[len(PREFIX):-5]) for key in self.store.iter_keys(PREFIX) if key.endswith(".json")]
        return sorted(tokens, key=lambda t: t.created_at)

    def get(self, token_id: str) -> ApiToken:
        if not re.fullmatch(r"[0-9a-f]{10}", token_id):
            raise NotFoundError(f"no token {token_id}")
        try:
            return ApiToken.model_validate_json(self.store.get_bytes(f"{PREFIX}{token_id}.json"))
        except NotFoundError:
            raise NotFoundError(f"no token {token_id}", path=token_id) from None

    def find(self, id_or_name: str) -> ApiToken:
        if re.fullmatch(r"[0-9a-f]{10}", id_or_name):
            try:
                return self.get(id_or_name)
            except NotFoundError:
                pass
        named = [t for t in self.list() if t.name == id_or_name]
        active = [t for t in named if t.active()]
        if len(active) == 1 or len(named) == 1:
            return (active or named)[0]
        if not named:
            raise NotFoundError(f"no token with id or name {id_or_name!r}")
        raise TokenError(f"{len(named)} tokens are named {id_or_name!r}; give the id instead")

    def revoke(self, id_or_name: str, *, by: Actor) -> ApiToken:
        token = self.find(id_or_name)
        if token.revoked_at is not None:
            return token
        token = token.model_copy(update={"revoked_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
                                         "revoked_by": str(by)})
        self.store.put_bytes(f"{PREFIX}{token.id}.json", token.model_dump_json(indent=1).encode(),
                             content_type="application/json")
        self.audit.append(TOKEN_REVOKED, actor=by, details={"token": token.id, "name": token.name, "role": token.role})
        return token

    def authenticate(self, presented: str) -> ApiToken | None:
        """The active token ``presented`` proves, or None (unknown, wrong secret, revoked, expired)."""
        match = _TOKEN.match(presented.strip())
        if not match:
            return None
        try:
            token = self.get(match.group(1))
        except NotFoundError:
            return None
        if not hmac.compare_digest(token.sha256, _digest(presented.strip())):
            return None
        return token if token.active() else None
