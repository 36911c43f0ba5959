"""API tokens: printed once, stored only as a hash, revocable, expiring; every change audited."""

from __future__ import annotations

import datetime as dt

from pipeline.audit import Actor, AuditLog
from pipeline.cli import main as cli_main
from pipeline.store import LocalStore
from pipeline.tokens import TokenStore


def _tokens(tmp_path) -> TokenStore:
    store = LocalStore(tmp_path / "store")
    return TokenStore(store, AuditLog(store))


def test_token_authenticates_only_with_its_exact_secret_until_revoked(tmp_path):
    tokens = _tokens(tmp_path)
    created, secret = tokens.create("Maria", "archivist", by=Actor("admin"))
    assert tokens.authenticate(secret).id == created.id
    assert tokens.authenticate(secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None
    assert tokens.authenticate("Bearer " + secret) is None
    tokens.revoke("Maria", by=Actor("admin"))
    assert tokens.authenticate(secret) is None
    actions = [e.action for e in tokens.audit.entries()]
    assert actions == ["token-created", "token-revoked"]


def test_secret_is_never_stored(tmp_path):
    tokens = _tokens(tmp_path)
    _, secret = tokens.create("Auditor", "auditor", by=Actor("admin"))
    for path in (tmp_path / "store").rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path


def test_expired_token_is_refused(tmp_path):
    tokens = _tokens(tmp_path)
    created, secret = tokens.create("Temp", "auditor", by=Actor("admin"), expires_days=1)
    assert tokens.authenticate(secret) is not None
    stale = created.model_copy(update={"expires_at": dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)})
    tokens.store.put_bytes(f"tokens/{created.id}.json", stale.model_dump_json().encode())
    assert tokens.authenticate(secret) is None


def test_cli_token_create_prints_the_token_once_list_and_revoke(tmp_path, capsys):
    config = tmp_path / "archivio.toml"
    config.write_text(f'[paths]\ndata = "{tmp_path / "data"}"\n')
    args = ["-c", str(config), "-q", "token"]
    assert cli_main([*args, "create", "--role", "auditor", "--name", "Studio Rossi"]) == 0
    captured = capsys.readouterr()
    secret = captured.out.strip()
    assert secret.startswith("arc_") and "not shown again" in captured.err
    assert cli_main([*args, "list"]) == 0
    listing = capsys.readouterr().out
    assert "Studio Rossi" in listing and "auditor" in listing and secret not in listing
    assert cli_main([*args, "create", "--role", "admin", "--name", "Studio Rossi"]) == 1  # name in use
    capsys.readouterr()
    assert cli_main([*args, "revoke", "Studio Rossi"]) == 0
    assert "revoked" in capsys.readouterr().out
    store = LocalStore(tmp_path / "data" / "store")
    assert TokenStore(store, AuditLog(store)).authenticate(secret) is None
