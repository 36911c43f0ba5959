"""Commands about where originals are kept: legal holds, download links, moving to S3."""

from __future__ import annotations

import datetime as dt
import sys

import click
from tqdm import tqdm

from ..audit import LEGAL_HOLD_SET, AuditLog
from ..errors import ArchivioError, StoreError
from ..records import Record
from ..store import Archive, open_archive, open_store
from ..store.base import ObjectInfo
from ..store.migrate import keys_to_migrate, migrate
from .actor import cli_actor
from .main import Context, cli, pass_ctx


def retention_lines(archive: Archive, record: Record) -> list[str]:
    """How the original is protected, for `archivio show`."""
    try:
        info = archive.original_info(record.sha256)
    except ArchivioError as exc:
        return [f"retention   unknown: {exc}"]
    return [f"retention   {describe_retention(info, archive.store.enforces_retention)}",
            f"legal hold  {'ON' if info.legal_hold else 'off'}"]


def describe_retention(info: ObjectInfo, enforced: bool) -> str:
    if info.retention is None:
        return "none" + ("" if enforced else " (the bucket has no Object Lock)")
    r = info.retention
    state = "active" if r.active() else "expired"
    years = round((r.until - dt.datetime.now(dt.timezone.utc)).days / 365.25, 1)
    left = f", {years:g} years left" if r.active() else ""
    return f"{r.mode} until {r.until:%Y-%m-%d} ({state}{left})"


@cli.command()
@click.argument("doc_id")
@click.option("--on/--off", "on", required=True, help="Place the legal hold, or lift it.")
@pass_ctx
def hold(ctx: Context, doc_id: str, on: bool) -> None:
    """Place or lift a legal hold on a document's original.

    While the hold is on, the original cannot be deleted or replaced, whatever its retention
    date (for litigation, a tax inspection or an audit). On S3 it is an Object Lock legal hold
    and needs a bucket with Object Lock; the local store enforces it itself. Written to the
    audit log, as when an admin does it through the API (PUT /api/admin/documents/ID/legal-hold).

    \b
    Examples:
      archivio hold 3f2a9c1e --on
      archivio hold 3f2a9c1e --off
    """
    archive = open_archive(ctx.settings)
    record = archive.get_record(archive.resolve(doc_id))
    archive.set_legal_hold(record.sha256, on)
    AuditLog(archive.store).append(LEGAL_HOLD_SET, actor=cli_actor(), documents=[record.id],
                                   details={"on": on, "via": "cli"})
    click.echo(f"legal hold {'ON' if on else 'off'} for {record.id[:12]} — {record.source.filename}")


@cli.command("migrate")
@click.option("--to", "target", type=click.Choice(["s3"]), required=True,
              help="Where to copy the archive: the bucket in the [store] settings.")
@click.option("--dry-run", is_flag=True, help="Only count what would be copied.")
@pass_ctx
def migrate_cmd(ctx: Context, target: str, dry_run: bool) -> int:
    """Copy the embedded archive (the local store folder) into the S3 bucket.

    Every object's SHA-256 is checked on the way; originals keep their retention and legal
    hold (those filed before retention was configured get their class's retention now).
    Objects already in the bucket with the same SHA-256 are skipped, so an interrupted
    migration resumes where it stopped when run again. Stop `archivio watch` first. Once it
    reports no failures, set store.backend = "s3" in your configuration.

    \b
    Example:
      ARCHIVIO_STORE_BUCKET=archivio ARCHIVIO_STORE_ENDPOINT_URL=https://s3.example:9000 \\
        archivio migrate --to s3
    """
    from ..service import data_dir_lock  # one writer per data directory, as for watch

    settings = ctx.settings
    if settings.store.backend == "s3":
        raise StoreError("the archive is already on S3 (store.backend = \"s3\"): nothing to migrate")
    if not settings.store.bucket:
        raise StoreError("name the bucket to migrate to: store.bucket (ARCHIVIO_STORE_BUCKET)")
    with data_dir_lock(settings):
        source = open_store(settings, "local")
        destination = open_store(settings, target)
        destination.check()
        keys = keys_to_migrate(source)
        where = f"{settings.store_path} → s3://{settings.store.bucket}/{settings.store.prefix}"
        if dry_run:
            click.echo(f"{len(keys)} object(s) to check and copy: {where}")
            return 0
        click.echo(f"migrating {len(keys)} object(s): {where}", err=True)
        bar = tqdm(total=len(keys), unit="obj", desc="migrating", file=sys.stderr, disable=ctx.quiet)

        def on_object(key: str, outcome: str) -> None:
            bar.update(1)
            if outcome == "failed":
                bar.write(f"failed: {key}")

        try:
            report = migrate(source, destination, keys, policy=settings.retention, on_object=on_object)
        finally:
            bar.close()
            destination.close()
    click.echo(f"copied {report.copied} ({report.bytes_copied / 1e6:,.1f} MB), already there {report.skipped}, "
               f"failed {len(report.failed)}")
    for key, reason in report.failed:
        click.secho(f"  {key}: {reason}", fg="red")
    if report.failed:
        click.secho("run the command again to retry the failed objects", fg="yellow")
        return 1
    click.echo('every object is in the bucket and verified: set store.backend = "s3" to use it')
    return 0
