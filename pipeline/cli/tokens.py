"""``archivio token create|list|revoke``: who may use the HTTP API and the web page."""

from __future__ import annotations

import click

from ..audit import AuditLog
from ..store import open_archive
from ..tokens import ROLES, TokenStore
from .actor import cli_actor
from .main import Context, cli, pass_ctx


def _tokens(ctx: Context) -> TokenStore:
    store = open_archive(ctx.settings).store
    return TokenStore(store, AuditLog(store))


@cli.group()
def token() -> None:
    """API tokens for the web page and the HTTP API, each with one role.

    \b
    Roles:
      archivist  search, view, correct fields and classes, mark reviewed
      auditor    search, view, verify originals, export bundles, read the audit log
      admin      manage tokens, retention and legal hold (does not read documents)

    \b
    Examples:
      archivio token create --role auditor --name "Studio Rossi revisori"
      archivio token list
      archivio token revoke "Studio Rossi revisori"
    """


@token.command("create")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the token may do.")
@click.option("--name", required=True, help="Who or what will use it (shown in the audit log).")
@click.option("--expires-days", type=click.IntRange(1, 3650), help="Stop working after this many days.")
@pass_ctx
def create(ctx: Context, role: str, name: str, expires_days: int | None) -> None:
    """Make a token and print it once: only its SHA-256 is kept.

    \b
    Example:
      archivio token create --role archivist --name "Maria Bianchi"
    """
    created, secret = _tokens(ctx).create(name, role, by=cli_actor(), expires_days=expires_days)
    click.echo(secret)
    expiry = f", expires {created.expires_at:%Y-%m-%d}" if created.expires_at else ""
    click.secho(f"token {created.id} for {created.name} ({created.role}{expiry}) — copy it now, it is not shown again",
                fg="yellow", err=True)


@token.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include revoked and expired tokens.")
@pass_ctx
def list_(ctx: Context, show_all: bool) -> None:
    """List tokens: id, role, name, when made and by whom (never the secrets).

    \b
    Example:
      archivio token list --all
    """
    tokens = [t for t in _tokens(ctx).list() if show_all or t.active()]
    if not tokens:
        click.echo("no tokens" + ("" if show_all else " (active); --all shows revoked ones"))
        return
    for t in tokens:
        state = "active" if t.active() else ("revoked" if t.revoked_at else "expired")
        expiry = f" until {t.expires_at:%Y-%m-%d}" if t.expires_at else ""
        click.echo(f"{t.id}  {t.role:9}  {state:7}  {t.created_at:%Y-%m-%d}  {t.name}{expiry}")


@token.command("revoke")
@click.argument("token_id")
@pass_ctx
def revoke(ctx: Context, token_id: str) -> None:
    """Revoke a token by its id or name; it stops working within seconds.

    \b
    Example:
      archivio token revoke 3f9a0c12de
    """
    revoked = _tokens(ctx).revoke(token_id, by=cli_actor())
    click.echo(f"revoked {revoked.id} ({revoked.name}, {revoked.role})")
