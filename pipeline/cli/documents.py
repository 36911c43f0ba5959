"""Commands about one document: show, get."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..audit import DOWNLOADED, AuditLog
from ..store import open_archive
from .actor import cli_actor
from .main import Context, cli, pass_ctx
from .storage import retention_lines


@cli.command()
@click.argument("doc_id")
@click.option("--json", "as_json", is_flag=True, help="The whole record as JSON.")
@click.option("--text", "with_text", is_flag=True, help="Print the document's text as well.")
@pass_ctx
def show(ctx: Context, doc_id: str, as_json: bool, with_text: bool) -> None:
    """Show one document: class, source, extracted fields with their validation, review flags.

    DOC_ID is the document id (its SHA-256) or a unique prefix of at least 6 characters, as
    printed by `archivio search`.

    \b
    Examples:
      archivio show 3f2a9c1e
      archivio show 3f2a9c1e --json > record.json
    """
    archive = open_archive(ctx.settings)
    record = archive.get_record(archive.resolve(doc_id))
    if as_json:
        click.echo(record.to_json())
        return
    src = record.source
    click.echo(f"document    {record.id}")
    click.echo(f"class       {record.doc_class} (confidence {record.class_confidence:.2f})")
    click.echo(f"source      {(src.folder + '/') if src.folder else ''}{src.filename}, received {src.received_at:%Y-%m-%d %H:%M}")
    click.echo(f"pages       {record.pages} ({record.pages_ocr} by OCR"
               + (f", mean confidence {record.ocr_confidence:.0f}" if record.ocr_confidence else "") + ")")
    click.echo(f"language    {record.language or '?'}")
    click.echo(f"filed       {record.filed_at:%Y-%m-%d %H:%M} by pipeline {record.pipeline_version}, version {record.version}")
    for line in retention_lines(archive, record):
        click.echo(line)
    if record.parent:
        click.echo(f"part of     {record.parent.id} ({record.parent.relation}"
                   + (f" {record.parent.index}" if record.parent.index else "") + ")")
    for part in record.parts:
        click.echo(f"part        {part}")
    if record.archive_copy:
        click.echo(f"copy        {record.archive_copy.format} {record.archive_copy.key}")
    for key, value in record.source.via.items():
        click.echo(f"via         {key}: {value}")
    if record.fields:
        click.echo("fields")
        width = max(len(n) for n in record.fields)
        for name, f in record.fields.items():
            value = ", ".join(f.value) if isinstance(f.value, list) else f.value
            mark = {True: click.style("valid", fg="green"), False: click.style("INVALID", fg="red"), None: ""}[f.valid]
            where = f"p.{f.page}" if f.page else ""
            click.echo(f"  {name:<{width}}  {value!s:<40} {mark:>7}  conf {f.confidence:.2f} {where}")
            if f.error:
                click.secho(f"  {'':<{width}}  ↳ {f.error}", fg="red")
    if record.needs_review:
        click.secho("needs review", fg="yellow", bold=True)
        for reason in record.review_reasons:
            click.secho(f"  - {reason}", fg="yellow")
    for warning in record.warnings:
        click.secho(f"warning: {warning}", fg="yellow")
    if with_text:
        click.echo("\n" + record.text.replace("\f", "\n\n— page break —\n\n"))


@cli.command()
@click.argument("doc_id")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the original.")
@click.option("--url", "as_url", is_flag=True, help="Print a download link instead (S3 store), for someone "
              "without access to the archive, e.g. an auditor.")
@click.option("--expires", type=click.IntRange(1, 7 * 24 * 3600), metavar="SECONDS",
              help="Lifetime of the --url link (default store.url_expiry_seconds).")
@pass_ctx
def get(ctx: Context, doc_id: str, output: Path | None, as_url: bool, expires: int | None) -> None:
    """Write a document's original, byte for byte, after checking its SHA-256; or print a
    time-limited download link to it (--url).

    \b
    Examples:
      archivio get 3f2a9c1e -o fattura.pdf
      archivio get 3f2a9c1e --url --expires 3600
    """
    if as_url == (output is not None):
        raise click.UsageError("give either -o FILE or --url")
    archive = open_archive(ctx.settings)
    full = archive.resolve(doc_id)
    record = archive.get_record(full)
    audit = AuditLog(archive.store)
    if as_url:
        seconds = expires or ctx.settings.store.url_expiry_seconds
        url = archive.original_url(record.sha256, expires_seconds=seconds, filename=record.source.filename)
        audit.append(DOWNLOADED, actor=cli_actor(), documents=[record.id],
                     details={"via": "presigned", "expires_seconds": seconds, "filename": record.source.filename})
        until = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=seconds)
        click.echo(url)
        click.echo(f"valid until {until:%Y-%m-%d %H:%M} UTC — {record.source.filename}, SHA-256 {record.sha256}",
                   err=True)
        return
    tmp = output.with_name(f".{output.name}.part")
    try:
        archive.get_original(record.sha256, tmp)
        tmp.replace(output)
    finally:
        tmp.unlink(missing_ok=True)
    audit.append(DOWNLOADED, actor=cli_actor(), documents=[record.id],
                 details={"via": "file", "filename": record.source.filename})
    click.echo(f"wrote {output} ({record.size:,} bytes, SHA-256 verified) — {record.source.filename}")
