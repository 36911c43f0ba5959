"""``archivio audit verify|log`` and ``archivio verify``: prove the archive is as it was written."""

from __future__ import annotations

import sys

import click
from tqdm import tqdm

from ..audit import VERIFIED, AuditLog
from ..store import open_archive
from ..verify import verify_documents
from .actor import cli_actor
from .main import Context, cli, pass_ctx


@cli.group()
def audit() -> None:
    """The hash-chained audit log: who did what, when, to which documents.

    \b
    Examples:
      archivio audit verify
      archivio audit log --limit 20
    """


def _anchor(value: str | None) -> tuple[int, str] | None:
    if not value:
        return None
    seq, _, digest = value.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise click.BadParameter("expected SEQ:HASH as printed by a previous `archivio audit verify`")
    return int(seq), digest.lower()


@audit.command("verify")
@click.option("--anchor", help="SEQ:HASH noted from an earlier run: also prove that entry is unchanged.")
@pass_ctx
def audit_verify(ctx: Context, anchor: str | None) -> int:
    """Recompute every entry's hash and link; name the first entry changed, inserted or removed.

    Prints the head (number and hash of the newest entry). Note it somewhere outside the
    archive: passing it later as --anchor proves nobody rewrote the log up to there.

    \b
    Examples:
      archivio audit verify
      archivio audit verify --anchor 1532:4be1…
    """
    log = AuditLog(open_archive(ctx.settings).store)
    bar = tqdm(unit="entry", desc="checking", file=sys.stderr, disable=ctx.quiet)
    report = log.verify(anchor=_anchor(anchor), progress=bar.update)
    bar.close()
    if report.ok:
        click.secho(f"audit log intact: {report.entries} entries", fg="green")
        click.echo(f"head {report.head_seq}:{report.head_hash}")
        return 0
    problem = report.problem
    click.secho(f"audit log BROKEN at entry {problem.seq} ({problem.kind}): {problem.message}", fg="red", bold=True)
    click.echo(f"{report.entries} entries before it are intact")
    return 1


@audit.command("log")
@click.option("--after", type=click.IntRange(0), default=0, help="Entries after this number.")
@click.option("--limit", "-n", type=click.IntRange(1), default=50, show_default=True)
@click.option("--document", "doc_id", help="Only entries about this document (id or prefix).")
@click.option("--action", help="Only this action (filed, viewed, corrected, exported…).")
@pass_ctx
def audit_log(ctx: Context, after: int, limit: int, doc_id: str | None, action: str | None) -> None:
    """Print audit entries, oldest first.

    \b
    Examples:
      archivio audit log --action exported
      archivio audit log --document 3f2a9c1e
    """
    archive = open_archive(ctx.settings)
    log = AuditLog(archive.store)
    if doc_id:
        entries = [e for e in log.for_document(archive.resolve(doc_id)) if e.seq > after and (not action or e.action == action)]
        entries = entries[:limit]
    else:
        entries = list(log.entries(after=after, limit=limit, action=action))
    for e in entries:
        docs = f" {len(e.documents)} docs" if len(e.documents) > 1 else (f" {e.documents[0][:12]}" if e.documents else "")
        role = f" ({e.role})" if e.role else ""
        click.echo(f"{e.seq:>7}  {e.at[:19]}  {e.action:14} {e.actor}{role}{docs}")


@cli.command("verify")
@click.argument("doc_id", required=False)
@click.option("--all", "check_all", is_flag=True, help="Every document in the archive.")
@pass_ctx
def verify(ctx: Context, doc_id: str | None, check_all: bool) -> int:
    """Re-hash stored originals and compare them with their records (SHA-256 and size).

    Exit status 1 if any original is missing or altered. The check is written to the audit log.

    \b
    Examples:
      archivio verify 3f2a9c1e
      archivio verify --all
    """
    if bool(doc_id) == check_all:
        raise click.UsageError("give a document id or --all")
    archive = open_archive(ctx.settings)
    ids = list(archive.record_ids()) if check_all else [archive.resolve(doc_id)]
    bar = tqdm(total=len(ids), unit="doc", desc="verifying", file=sys.stderr, disable=ctx.quiet or len(ids) < 2)
    results = verify_documents(archive, ids, progress=lambda r: bar.update(1))
    bar.close()
    bad = [r for r in results if not r.ok]
    AuditLog(archive.store).append(VERIFIED, actor=cli_actor(), documents=[r.id for r in bad] if check_all else ids,
                                   details={"checked": len(results), "failed": [r.id for r in bad],
                                            "scope": "all" if check_all else "one"})
    for r in bad:
        click.secho(f"FAILED  {r.id[:12]}  {r.filename}: {r.problem}", fg="red")
    if bad:
        click.secho(f"{len(bad)} of {len(results)} original(s) failed the check", fg="red", bold=True)
        return 1
    click.secho(f"{len(results)} original(s) intact", fg="green")
    return 0
