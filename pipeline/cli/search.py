"""``archivio search``: the same search function the HTTP API calls."""

from __future__ import annotations

import json

import click

from ..index import SearchQuery, open_index
from ..einvoice.status import CLI_WORDS, signature_statuses
from ..index.base import HIGHLIGHT, party_key
from ..records import DOC_CLASSES
from .params import AMOUNT, DATE_FROM, DATE_HELP, DATE_TO
from .main import Context, cli, pass_ctx


@cli.command()
@click.argument("query", nargs=-1)
@click.option("--type", "-t", "doc_class", type=click.Choice(DOC_CLASSES), help="Only this class of document.")
@click.option("--from", "date_from", type=DATE_FROM, help="Document date on or after: " + DATE_HELP.format(edge="first") + ".")
@click.option("--to", "date_to", type=DATE_TO, help="Document date on or before: " + DATE_HELP.format(edge="last") + ".")
@click.option("--min-total", type=AMOUNT, help="Total amount at least this (1451,80 or 1.451,80 or 1451.80).")
@click.option("--max-total", type=AMOUNT, help="Total amount at most this.")
@click.option("--vendor", help="Vendor / merchant name contains this.")
@click.option("--vat", help="A partita IVA the document names (vendor, customer…), with or without its country "
                             "prefix (IT00743110157 or 00743110157).")
@click.option("--name", help="A name or company name the document names (vendor, customer, party) contains this.")
@click.option("--cf", "taxcode", help="A codice fiscale the document names is exactly this.")
@click.option("--needs-review", is_flag=True, default=None, help="Only documents flagged for review.")
@click.option("--folder", help="Only documents from this inbox sub-folder.")
@click.option("--tag", help="Only documents carrying this tag (any capitals).")
@click.option("--correspondent", metavar="KEY",
              help="Only documents exchanged with this counterparty: its VAT id, or a ~name key as --facets lists it.")
@click.option("--sort", type=click.Choice(["relevance", "date", "-date", "amount", "-amount"]), default="relevance",
              show_default=True, help="Order; a leading '-' means descending.")
@click.option("--limit", "-n", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--page", type=click.IntRange(1), default=1, show_default=True,
              help="Page of the results to show (the first 10,000 results; past them use --after).")
@click.option("--after", "cursor", metavar="CURSOR",
              help="Continue where a previous page ended: its 'next' cursor, as printed by --json or below the list.")
@click.option("--facets", "show_facets", is_flag=True,
              help="Also count the matches by class, correspondent, tag, vendor and month.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_ctx
def search(ctx: Context, query: tuple[str, ...], doc_class, date_from, date_to, min_total, max_total, vendor, vat,
           name, taxcode, needs_review, folder, tag, correspondent, sort, limit, page, cursor, show_facets, as_json) -> None:
    """Find documents by words of their text, identifiers and filters.

    Words match regardless of accents and of Italian/English word endings ("fatture" finds
    "fattura"); an invoice number, VAT id or IBAN finds its document first.

    \b
    Examples:
      archivio search fattura enel
      archivio search --type invoice --from 2024-01-01 --to 2024-12-31 --min-total 100
      archivio search IT07515280159
      archivio search "1.451,80"          (an amount, matched against total, net and VAT)
      archivio search scontrino febbraio  (a month or a year matches the document's date)
      archivio search --from "settembre 2025" --min-total 1451,80
      archivio search --needs-review --sort -date
      archivio search --facets fattura 2024
    """
    q = SearchQuery(
        text=" ".join(query), doc_class=doc_class,
        date_from=date_from, date_to=date_to,
        min_total=min_total, max_total=max_total, vendor=vendor, vat=vat, needs_review=needs_review,
        folder=folder, name=name, taxcode=taxcode, tag=tag or None,
        correspondent=party_key(correspondent) if correspondent else None, sort=sort, size=limit,
        offset=(page - 1) * limit if not cursor else 0, cursor=cursor,
        facets=show_facets or as_json,
    )
    index = open_index(ctx.settings)
    results = index.search(q)
    signatures = _signatures(ctx, results.hits)
    if as_json:
        click.echo(json.dumps({
            "total": results.total,
            "hits": [{**h.__dict__, **({"signature": signatures[h.id]} if h.id in signatures else {})}
                     for h in results.hits],
            "facets": results.facets,
            "next_cursor": results.next_cursor,
            "partial": results.partial,
            "names": results.names,
        }, indent=2, default=str))
        return
    if not results.hits:
        click.echo("no documents found")
        return
    if results.partial:
        click.echo(click.style("no document has every word; the closest matches:", fg="yellow"))
    start = (page - 1) * limit if not cursor else 0
    for n, hit in enumerate(results.hits, start=start + 1):
        total = f"{hit.total} {hit.currency or ''}".strip() if hit.total else "-"
        review = click.style(" needs review", fg="yellow") if hit.needs_review else ""
        tags = "".join(" " + click.style(f"#{tag}", fg="magenta") for tag in hit.tags)
        if hit.id in signatures:
            status = signatures[hit.id]
            review += click.style(f" {CLI_WORDS[status]}", fg="green" if status == "valid" else "yellow")
        click.echo(f"{n:>3}. {click.style(hit.doc_class, bold=True):<8}  {hit.date or '-':10}  {total:>14}  "
                   f"{hit.filename}  [{_short(hit.id)}]{review}{tags}")
        if hit.vendor or hit.number:
            click.echo(f"     {hit.vendor or ''}{'  n. ' + hit.number if hit.number else ''}")
        if hit.snippet:
            snippet = hit.snippet.replace(HIGHLIGHT[0], "\x00").replace(HIGHLIGHT[1], "\x01")
            parts = []
            for i, piece in enumerate(snippet.split("\x00")):
                if i == 0:
                    parts.append(piece)
                else:
                    word, _, rest = piece.partition("\x01")
                    parts.append(click.style(word, fg="cyan", bold=True) + rest)
            click.echo("     " + "".join(parts)[:300])
    if show_facets:
        click.echo("")
        for name, counts in results.facets.items():
            if counts:
                click.echo(f"by {name}: " + ", ".join(_facet_entry(name, key, results.names) + f" {n}" for key, n in counts))
    if cursor:
        click.echo(f"\n{len(results.hits)} more of {results.total}" +
                   (f" — next: --after {results.next_cursor}" if results.next_cursor else ""))
        return
    shown_to = start + len(results.hits)
    click.echo(f"\n{start + 1}-{shown_to} of {results.total}" + (f" — next: --page {page + 1}" if results.next_cursor else ""))


def _facet_entry(facet: str, key: str, names: dict[str, str]) -> str:
    """A correspondent reads as its name with the key --correspondent takes: 'Brenta S.r.l. (00743110157)'."""
    return f"{names[key]} ({key})" if facet == "correspondent" and key in names else key


def _short(doc_id: str) -> str:
    """The id as people read it: 12 characters, and the part number of a stack's document."""
    sha, _, part = doc_id.partition("-")
    return sha[:12] + (f"-{part}" if part else "")


def _signatures(ctx: Context, hits) -> dict[str, str]:
    """Signature status of the signed e-invoices among the hits; the store is opened only for them."""
    if not any(h.filename.lower().endswith(".p7m") for h in hits):
        return {}
    from ..errors import ArchivioError
    from ..store import open_archive

    try:
        return signature_statuses(open_archive(ctx.settings), hits)
    except ArchivioError:
        return {}  # the store is not there: the hits are listed without it
