"""Legal preservation on the command line: retention report, disposal (scarto), preservation packages."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click
from tqdm import tqdm

from ..audit import AuditLog
from ..export import describe, select
from ..index import SearchQuery, open_index
from ..records import DOC_CLASSES
from ..store import open_archive
from .actor import cli_actor
from .main import Context, cli, pass_ctx

UTC = dt.timezone.utc
_DATE = click.DateTime(["%Y-%m-%d"])


def _day_end(day: dt.datetime | None) -> dt.datetime | None:
    return dt.datetime.combine(day.date() + dt.timedelta(days=1), dt.time(), UTC) if day else None


# -- retention ---------------------------------------------------------------------------------
@cli.group()
def retention() -> None:
    """How long documents are kept, and which may now be disposed of.

    Each class keeps its documents a number of years from an anchor read from the document
    itself (see [retention] in the configuration): invoices and receipts ten years from the end
    of the fiscal year of their date (art. 2220 c.c.), contracts ten years after they expire.
    """


@retention.command("report")
@click.option("--due-before", type=_DATE, help="Documents whose retention ends on or before this day (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_ctx
def retention_report_cmd(ctx: Context, due_before, as_json: bool) -> None:
    """Documents whose retention has ended, by class and year, and the legal holds in force.

    \b
    Examples:
      archivio retention report
      archivio retention report --due-before 2035-12-31 --json
    """
    from ..preservation.retention import retention_report

    report = retention_report(open_archive(ctx.settings), ctx.settings.retention, due_before=_day_end(due_before))
    if as_json:
        click.echo(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
        return
    click.echo(f"{len(report.due)} of {report.documents} document(s) past their retention on "
               f"{report.due_before:%Y-%m-%d} / documenti con conservazione scaduta")
    for doc_class, year, count in report.groups():
        click.echo(f"  {doc_class:<10} {year:<6} {count:>6}")
    blocked = [s for s in report.due if s.blocked_by()]
    if blocked:
        click.echo(f"{len(blocked)} of them cannot be disposed of now (legal hold or open review)")
    click.echo(f"legal holds / blocchi legali: {len(report.holds)}")
    for s in report.holds:
        click.echo(f"  {s.record.id[:12]}  {s.record.doc_class:<9} {s.date or '—':<10}  {s.record.source.filename}")


# -- disposal ----------------------------------------------------------------------------------
def _disposer(ctx: Context):
    from ..preservation.disposal import Disposer

    settings = ctx.settings
    archive = open_archive(settings)
    return Disposer(archive, open_index(settings), AuditLog(archive.store), settings.retention,
                    preview_cache=settings.preview_cache_path)


@cli.group()
def disposal() -> None:
    """Disposal (scarto) of documents whose retention has ended, approved by a second person.

    \b
    1. archivio disposal propose NAME        freeze a list of the documents due
    2. archivio disposal approve LIST-ID     another person approves: the documents are removed
    3. archivio disposal certificate LIST-ID the disposal certificate (verbale di scarto)

    A legal hold or an open review keeps a document off any list. The person who proposed a list
    cannot approve it (four eyes). Every step is written to the audit log.
    """


@disposal.command("propose")
@click.argument("name")
@click.option("--due-before", type=_DATE, help="Only documents whose retention ended before this day (default: today).")
@click.option("--id", "ids", multiple=True, help="Only these documents (each must be due and free); repeatable.")
@pass_ctx
def disposal_propose(ctx: Context, name: str, due_before, ids: tuple[str, ...]) -> None:
    """Propose a disposal list called NAME (e.g. "scarto fatture 2014")."""
    lst = _disposer(ctx).propose(name, by=cli_actor(), due_before=_day_end(due_before), ids=list(ids) or None)
    click.echo(f"proposed disposal list {lst.id} \"{lst.name}\": {len(lst.items)} document(s); "
               f"another person approves it with `archivio disposal approve {lst.id}`")
    for item in lst.items:
        click.echo(f"  {item.id[:12]}  {item.doc_class:<9} {item.date or '—':<10}  {item.rule}")


@disposal.command("list")
@pass_ctx
def disposal_list(ctx: Context) -> None:
    """The disposal lists, newest first, with their state."""
    for lst in _disposer(ctx).lists():
        click.echo(f"{lst.id}  {lst.status:<15} {len(lst.items):>5} doc(s)  by {lst.proposed_by}  \"{lst.name}\"")


@disposal.command("show")
@click.argument("list_id")
@pass_ctx
def disposal_show(ctx: Context, list_id: str) -> None:
    """One disposal list as JSON."""
    click.echo(_disposer(ctx).get(list_id).model_dump_json(indent=2))


@disposal.command("approve")
@click.argument("list_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_ctx
def disposal_approve(ctx: Context, list_id: str, yes: bool) -> int:
    """Approve a disposal list proposed by someone else: its documents are removed for good."""
    disposer = _disposer(ctx)
    lst = disposer.get(list_id)
    if not yes:
        click.confirm(f"remove {len(lst.items)} document(s) of \"{lst.name}\" for good?", abort=True)
    done = disposer.approve(list_id, by=cli_actor())
    click.echo(f"disposal list {done.id}: {done.status}; certificate {done.certificate} "
               f"(SHA-256 {done.certificate_sha256}, sealed in the audit log)")
    return 0 if done.status == "disposed" else 1


@disposal.command("reject")
@click.argument("list_id")
@click.option("--reason", default="", help="Why, for the audit log.")
@pass_ctx
def disposal_reject(ctx: Context, list_id: str, reason: str) -> None:
    """Reject a proposed disposal list: nothing is removed."""
    lst = _disposer(ctx).reject(list_id, by=cli_actor(), reason=reason)
    click.echo(f"disposal list {lst.id} rejected")


@disposal.command("certificate")
@click.argument("list_id")
@pass_ctx
def disposal_certificate(ctx: Context, list_id: str) -> None:
    """Print the disposal certificate (verbale di scarto) of an approved list."""
    click.echo(_disposer(ctx).certificate(list_id).decode())


# -- packages ----------------------------------------------------------------------------------
@cli.group(invoke_without_command=True)
@click.option("--from", "date_from", type=_DATE, help="Document date on or after (YYYY-MM-DD).")
@click.option("--to", "date_to", type=_DATE, help="Document date on or before (YYYY-MM-DD).")
@click.option("--type", "-t", "doc_class", type=click.Choice(DOC_CLASSES), help="Only this class of document.")
@click.option("--name", help="A name or company name the document names contains this.")
@click.option("--vat", help="A partita IVA the document names is exactly this.")
@click.option("--cf", "taxcode", help="A codice fiscale the document names is exactly this.")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Where to write the package: a new folder, or a .zip file.")
@click.pass_context
def package(click_ctx: click.Context, date_from, date_to, doc_class, name, vat, taxcode, output: Path | None) -> int | None:
    """Write a preservation package (pacchetto di versamento) for a conservator.

    The package holds each original (and its archive copy, where there is one), the AgID minimum
    metadata of each document, and an index in the UNI 11386 (SInCRO) structure listing every
    file with its SHA-256, sealed with an RFC 3161 timestamp from [preservation] tsa_url and
    signed (CAdES) when a certificate is configured. Written to the audit log.

    \b
    Examples:
      archivio package --from 2024-01-01 --to 2024-12-31 --type invoice -o fatture-2024.zip
      archivio package verify fatture-2024.zip
    """
    if click_ctx.invoked_subcommand is not None:
        return None
    if output is None:
        raise click.UsageError("name the package with -o PACKAGE (a folder or a .zip), or run `package verify`")
    from ..preservation.package import Packager

    ctx: Context = click_ctx.find_object(Context)
    settings = ctx.settings
    archive = open_archive(settings)
    q = SearchQuery(doc_class=doc_class, name=name, vat=vat, taxcode=taxcode,
                    date_from=date_from.date() if date_from else None, date_to=date_to.date() if date_to else None)
    ids = select(open_index(settings), q)
    if not ids:
        click.echo("no documents match; no package written")
        return 1
    bar = tqdm(total=len(ids), unit="doc", desc="packaging", file=sys.stderr, disable=ctx.quiet)
    try:
        summary = Packager(archive, AuditLog(archive.store), settings.retention, settings.preservation).build(
            ids, output, by=cli_actor(), query=describe(q), on_document=lambda r: bar.update(1))
    finally:
        bar.close()
    seal = f"timestamped {summary.timestamp}" if summary.timestamp else "NOT timestamped (no preservation.tsa_url)"
    click.echo(f"wrote {output}: {summary.documents} document(s), {summary.files} file(s); index SHA-256 "
               f"{summary.index_sha256}; {seal}{'; signed' if summary.signed else ''} (audit entry {summary.audit_entry})")
    return 0


@package.command("verify")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--tsa-ca", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="PEM certificates the TSA's certificate must be issued by (default: preservation.tsa_ca_file).")
@click.option("--signer-ca", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="PEM certificates the signer's certificate must be issued by.")
@pass_ctx
def package_verify(ctx: Context, path: Path, tsa_ca: Path | None, signer_ca: Path | None) -> int:
    """Re-check a package: the index against its schema, every file's SHA-256, the timestamp and
    the signature. Names every file or seal that differs; exit status 1 if anything does."""
    from ..preservation.package import verify_package

    report = verify_package(path, tsa_ca=tsa_ca or ctx.settings.preservation.tsa_ca_file, signer_ca=signer_ca)
    for problem in report.problems:
        click.secho(f"DIFFERS: {problem}", fg="red")
    for note in report.notes:
        click.echo(f"note: {note}")
    stamp = f"; timestamp {report.timestamp} by {report.tsa}" if report.timestamp else ""
    signer = f"; signed by {report.signer}" if report.signer else ""
    verdict = "intact / integro" if report.ok else f"{len(report.problems)} problem(s) / problemi"
    click.echo(f"{path}: {report.documents} document(s), {report.files} file(s){stamp}{signer}: {verdict}")
    return 0 if report.ok else 1
