"""``archivio export``: documents of a period, class or query as one verifiable ZIP bundle."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from tqdm import tqdm

from ..audit import AuditLog
from ..export import ExportSummary, Exporter, describe, select
from ..index import SearchQuery, open_index
from ..records import DOC_CLASSES
from ..store import open_archive
from .actor import cli_actor
from .params import AMOUNT, DATE_FROM, DATE_HELP, DATE_TO
from .main import Context, cli, pass_ctx


@cli.command()
@click.argument("query", nargs=-1)
@click.option("--from", "date_from", type=DATE_FROM, help="Document date on or after: " + DATE_HELP.format(edge="first") + ".")
@click.option("--to", "date_to", type=DATE_TO, help="Document date on or before: " + DATE_HELP.format(edge="last") + ".")
@click.option("--type", "-t", "doc_class", type=click.Choice(DOC_CLASSES), help="Only this class of document.")
@click.option("--vendor", help="Vendor / merchant name contains this.")
@click.option("--min-total", type=AMOUNT, help="Total amount at least this (1451,80 or 1.451,80 or 1451.80).")
@click.option("--max-total", type=AMOUNT, help="Total amount at most this.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the bundle (.zip).")
@pass_ctx
def export(ctx: Context, query: tuple[str, ...], date_from, date_to, doc_class, vendor, min_total, max_total,
           output: Path) -> int:
    """Write the matching documents to a ZIP bundle an auditor can check on their own.

    The bundle holds each original byte for byte, its record, the audit entries about the
    documents, manifest.json (what, who, when, every file's SHA-256) and SHA256SUMS for
    `sha256sum -c SHA256SUMS`. The export is written to the audit log. A period is matched on
    the document's own date (invoice date, receipt date, contract date).

    \b
    Examples:
      archivio export --from 2024-01-01 --to 2024-12-31 --type invoice -o fatture-2024.zip
      archivio export enel --vendor Enel -o enel.zip
    """
    settings = ctx.settings
    archive = open_archive(settings)
    q = SearchQuery(text=" ".join(query), doc_class=doc_class, vendor=vendor, min_total=min_total, max_total=max_total,
                    date_from=date_from, date_to=date_to)
    ids = select(open_index(settings), q)
    if not ids:
        click.echo("no documents match; nothing exported")
        return 1
    summary = ExportSummary()
    bar = tqdm(total=len(ids), unit="doc", desc="exporting", file=sys.stderr, disable=ctx.quiet)
    exporter = Exporter(archive, AuditLog(archive.store))
    tmp = output.with_name(f".{output.name}.part")
    try:
        with tmp.open("wb") as fh:
            for piece in exporter.bundle(ids, by=cli_actor(), query=describe(q), summary=summary,
                                         on_document=lambda record: bar.update(1)):
                fh.write(piece)
        tmp.replace(output)
    finally:
        tmp.unlink(missing_ok=True)
        bar.close()
    click.echo(f"wrote {output}: {summary.documents} document(s), {summary.bytes / 1048576:.1f} MB of originals; "
               f"manifest SHA-256 {summary.manifest_sha256} (audit entry {summary.export_entry})")
    for problem in summary.problems:
        click.secho(f"  problem: {problem}", fg="red")
    return 1 if summary.problems else 0
