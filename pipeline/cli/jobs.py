"""Commands that run the pipeline or look after it: watch, ingest, status, reindex, config."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from tqdm import tqdm

from typing import TYPE_CHECKING

from ..config import env_names, setting_origins
from ..index import open_index
from ..journal import Journal
from ..store import open_archive

if TYPE_CHECKING:  # the pipeline itself is imported only by the commands that run it
    from ..dispatch import Done
    from ..intake import IntakeResult
from .main import Context, cli, pass_ctx


def _short(done: Done) -> str:
    return f"{done.job.folder + '/' if done.job.folder else ''}{done.job.filename}"


@cli.command()
@click.option("--inbox", type=click.Path(file_okay=False, path_type=Path), help="Folder to watch (paths.inbox).")
@click.option("--polling", is_flag=True, default=None, help="Poll the folder instead of waiting for events "
              "(for SMB/NFS shares; watch.polling).")
@click.option("--workers", "-j", type=click.IntRange(1), help="Worker processes (workers.count; default: one per core).")
@pass_ctx
def watch(ctx: Context, inbox: Path | None, polling: bool | None, workers: int | None) -> None:
    """Watch the inbox and file every complete scan dropped into it, until Ctrl-C or SIGTERM.

    Files already in the inbox are taken first; sub-folders are watched too and their name is
    kept as a hint. A file is taken once it has stopped changing. Each one is read (OCR where
    it has no text layer), classified, its fields extracted and validated, the original filed
    in the store and the record indexed. Files that cannot be archived go to the quarantine
    folder with NAME.error.json saying why; exact duplicates go to the duplicates folder.

    FatturaPA e-invoices (.xml, signed .xml.p7m) are read from their XML, their signature
    checked. When [mail] lists IMAP accounts (PEC too), new messages are taken as well: each is
    kept whole and its attachments filed as documents linked to it (see config/archivio.toml).
    Each mailbox folder is watched on its own connection, with IMAP IDLE where the server
    offers it (new mail within seconds), else every mail.poll_seconds.

    On Ctrl-C or SIGTERM, documents in progress get workers.shutdown_grace seconds to finish;
    the rest go back to the queue and are done first next time.

    \b
    Example:
      archivio watch --inbox /srv/scansioni --polling
    """
    from ..workers import start_server

    settings = ctx.settings
    start_server(settings)
    from ..service import StopFlag, run_watch

    updates = {}
    if inbox:
        updates["paths"] = settings.paths.model_copy(update={"inbox": inbox.resolve()})
    if polling:
        updates["watch"] = settings.watch.model_copy(update={"polling": True})
    if workers:
        updates["workers"] = settings.workers.model_copy(update={"count": workers})
    settings = settings.model_copy(update=updates)

    stop = StopFlag()
    stop.install()

    def on_intake(result: IntakeResult) -> None:
        if result.outcome in ("duplicate", "rejected", "stuck", "refused"):
            click.secho(f"{result.outcome:>11}  {result.path.name}: {result.message}", fg="yellow", err=True)

    def on_done(done: Done) -> None:
        colour = {"filed": "green", "quarantined": "red"}.get(done.outcome)
        took = f" in {done.seconds:.1f}s" if done.seconds else ""
        click.secho(f"{done.outcome:>11}  {_short(done)}{took}: {done.message}", fg=colour, err=True)

    click.echo(f"Archivio watching {settings.paths.inbox} — drop scans there; Ctrl-C to stop.", err=True)
    run_watch(settings, stop=stop, on_intake=on_intake, on_done=on_done)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--move", is_flag=True, help="Move the files out like the inbox does (to processed/, duplicates/ "
              "or quarantine/); by default they are left where they are.")
@click.option("--workers", "-j", type=click.IntRange(1), help="Worker processes (default: one per core).")
@pass_ctx
def ingest(ctx: Context, paths: tuple[Path, ...], move: bool, workers: int | None) -> None:
    """Archive the given files (folders are searched for files) once, with a progress bar.

    Same processing as `archivio watch`. Without --move the files stay where they are; a file
    that cannot be archived is listed at the end and its reason written to the quarantine
    folder. Larger files are read first, so that a long scan does not finish the batch alone.

    \b
    Examples:
      archivio ingest ~/scansioni/2024/
      archivio ingest fattura_123.pdf scontrino.jpg
    """
    from ..workers import start_server

    settings = ctx.settings
    start_server(settings)
    from ..service import StopFlag, expand, largest_first, run_ingest

    files, skipped = expand(paths, settings.watch.ignore)
    files = largest_first(files)
    stop = StopFlag()
    stop.install()
    bar = tqdm(total=len(files), unit="doc", desc="archiving", file=sys.stderr, disable=ctx.quiet)
    counts = {"filed": 0, "quarantined": 0, "duplicate": 0, "rejected": 0}
    problems: list[str] = [f"{path}: skipped, its name matches watch.ignore (hidden or temporary file)"
                           for path in skipped]

    def on_intake(result: IntakeResult) -> None:
        if result.outcome in ("duplicate", "rejected", "gone", "changing", "stuck", "refused"):
            counts[result.outcome] = counts.get(result.outcome, 0) + 1
            problems.append(f"{result.path}: {result.message}")
            bar.update(1)

    def on_done(done: Done) -> None:
        if done.outcome in counts:
            counts[done.outcome] += 1
            bar.update(1)
        if done.outcome == "quarantined":
            problems.append(f"{_short(done)}: {done.message}")

    run_ingest(settings, files, stop=stop, handoff="move" if move else "keep", on_intake=on_intake,
               on_done=on_done, workers=workers)
    bar.close()
    summary = ", ".join(f"{n} {k}" for k, n in counts.items() if n)
    click.echo(f"done: {summary or 'nothing to do'}")
    for line in problems:
        click.secho(f"  {line}", fg="yellow")
    if counts["quarantined"] or counts["rejected"]:
        click.get_current_context().exit(1)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_ctx
def status(ctx: Context, as_json: bool) -> None:
    """How many documents are filed, waiting or in trouble, and why the last ones failed.

    \b
    Example:
      archivio status
    """
    import json as _json

    from ..health import StatusFile

    settings = ctx.settings
    journal = Journal(settings.journal_path)
    counts = journal.counts()
    problems = journal.recent_problems(10)
    watcher = StatusFile.read(settings.paths.data / "watch-status.json")
    try:
        indexed = open_index(settings).count()
    except Exception as exc:  # status must work while the index is down
        indexed = f"unavailable ({exc})"
    quarantined_files = sorted(p for p in settings.paths.quarantine.rglob("*.error.json")) \
        if settings.paths.quarantine.exists() else []
    distributed = None
    if settings.queue.backend == "celery":
        from ..queue.status import summary

        try:
            distributed = summary(settings, open_archive(settings))
        except Exception as exc:  # status must work while the store is down
            distributed = {"backend": "celery", "error": str(exc)}
    if as_json:
        click.echo(_json.dumps({"jobs": counts, "indexed": indexed, "quarantine_files": len(quarantined_files),
                                "watcher": watcher, "problems": problems, "queue": distributed},
                               indent=2, default=str))
        return
    if distributed:
        _echo_distributed(distributed)
    if watcher:
        reading = watcher.get("reading") or []
        click.echo(f"watcher     running (pid {watcher['pid']})" + (f", reading {', '.join(reading)}" if reading else ""))
        for outage in watcher.get("waiting_for") or []:
            click.secho(f"waiting for the {outage['service']} ({outage['where']}): unreachable since "
                        f"{outage['since'][11:19]}, next try in {outage['next_try_in']:.0f} s — {outage['reason']}",
                        fg="yellow")
        for box in watcher.get("mailboxes") or []:
            if box["mode"] == "unreachable":
                click.secho(f"mailbox     {box['mailbox']}: unreachable since {box['since'][11:19]} — {box['reason']}",
                            fg="yellow")
            else:
                how = {"idle": "new mail announced by the server (IDLE)", "polling": "looked at every poll_seconds"}
                click.echo(f"mailbox     {box['mailbox']}: {how.get(box['mode'], box['mode'])}")
    else:
        click.echo("watcher     not running")
    click.echo(f"inbox       {settings.paths.inbox}")
    click.echo(f"store       {settings.store.backend}: {settings.store_location}")
    click.echo(f"index       {settings.index.backend}: {indexed} document(s)")
    click.echo(f"filed       {counts['filed']}")
    waiting = counts["queued"] + counts["running"]
    click.echo(f"waiting     {waiting} ({counts['queued']} queued, {counts['running']} in progress)")
    if counts["stored"]:
        click.echo(f"not yet searchable  {counts['stored']} (stored; waiting for the index)")
    click.echo(f"quarantine  {counts['quarantined'] + counts['rejected']} ({len(quarantined_files)} file(s) in "
               f"{settings.paths.quarantine})")
    click.echo(f"duplicates  {counts['duplicates']}")
    if problems:
        click.echo("\nlatest problems:")
        for p in problems:
            click.echo(f"  {p['at'][:19]}  {Path(p['source_path']).name}: [{p['stage']}] {p['reason']}")


def _echo_distributed(queue: dict) -> None:
    if "error" in queue:
        click.secho(f"queue       celery: {queue['error']}", fg="yellow")
        return
    depth = "unknown (broker unreachable)" if queue["depth"] is None else f"{queue['depth']} waiting on the broker"
    click.echo(f"queue       celery {queue['queue']!r}: {depth}")
    workers = queue["workers"]
    click.echo(f"workers     {len(workers)} alive" + (f": {', '.join(workers)}" if workers else ""))
    if not workers:
        click.secho("            no worker answers: documents wait until one is started (`archivio worker`)",
                    fg="yellow")
    for note in queue["quarantine_notes"][:10]:
        click.secho(f"  quarantined by a worker: {note['file']}: [{note['stage']}] {note['reason']}", fg="yellow")
    if queue["duplicate_notes"]:
        click.echo(f"  {len(queue['duplicate_notes'])} duplicate note(s) in the store (newest: "
                   f"{queue['duplicate_notes'][0]['file']})")


@cli.command()
@pass_ctx
def reindex(ctx: Context) -> None:
    """Rebuild the search index from the records in the store.

    The store is the source of truth; the index can always be rebuilt from it. The new index is
    built beside the old one and swapped in at the end, so search keeps working meanwhile (on
    Elasticsearch a new versioned index is built and the alias moved onto it in one step; this is
    also how a changed index template takes effect).

    \b
    Example:
      archivio reindex
    """
    settings = ctx.settings
    archive = open_archive(settings)
    index = open_index(settings)
    ids = list(archive.record_ids())
    started = time.monotonic()
    records = (archive.get_record(i) for i in tqdm(ids, unit="doc", desc="reindexing", file=sys.stderr,
                                                    disable=ctx.quiet))
    report = index.rebuild(records)
    # Documents filed while the new index was being built went into the old one: bring them over.
    present = {doc_id for doc_id, _ in index.ids()} | {doc_id for doc_id, _ in report.failed}
    late = [doc_id for doc_id in archive.record_ids() if doc_id not in present]
    if late:
        caught_up = index.upsert(archive.get_record(i) for i in late)
        report.indexed += caught_up.indexed
        report.failed += caught_up.failed
    click.echo(f"indexed {report.indexed} document(s) in {time.monotonic() - started:.1f}s")
    for doc_id, reason in report.failed:
        click.secho(f"  not indexed {doc_id[:12]}: {reason}", fg="red")
    if report.failed:
        click.get_current_context().exit(1)


@cli.command("config")
@click.option("--env", "show_env", is_flag=True, help="List the environment variable of every setting.")
@pass_ctx
def config_cmd(ctx: Context, show_env: bool) -> None:
    """Show the settings in effect and where each one came from.

    \b
    Examples:
      archivio config
      ARCHIVIO_WATCH_POLLING=true archivio config
      archivio config --env
    """
    if show_env:
        for dotted, name in env_names():
            click.echo(f"{name:40} {dotted}")
        return
    settings = ctx.settings
    origins = setting_origins(settings)
    for section, values in settings.model_dump(mode="json").items():
        click.echo(f"[{section}]")
        for key, value in values.items():
            origin = origins.get(f"{section}.{key}", "defaults")
            click.echo(f"  {key:18} = {value!r:48} # {origin}")


@cli.command("check")
@click.option("--dry-run", is_flag=True, help="Only report; repair nothing.")
@pass_ctx
def check_cmd(ctx: Context, dry_run: bool) -> None:
    """Reconcile the job journal, the store and the search index, and repair the index.

    The store is the source of truth: documents missing from the index (or indexed in an
    older version) are indexed again, index entries with no document behind them are removed,
    copies left in the store's incoming area after a crash are cleared. Problems on the store
    side are reported, never "repaired" by deleting. Exit code 1 when something serious is
    found.

    \b
    Examples:
      archivio check
      archivio check --dry-run
    """
    from ..check import check

    settings = ctx.settings
    archive = open_archive(settings)
    index = open_index(settings)
    journal = Journal(settings.journal_path)
    with tqdm(unit="doc", desc="checking", file=sys.stderr, disable=ctx.quiet) as bar:
        report = check(archive, index, journal, repair=not dry_run, progress=bar.update)
    click.echo(f"store       {report.records} document(s)")
    click.echo(f"index       {report.indexed} document(s)")
    click.echo(f"journal     {report.jobs.get('filed', 0)} filed, {report.jobs.get('queued', 0) + report.jobs.get('running', 0)} "
               f"waiting, {report.jobs.get('stored', 0)} not yet indexed, {report.jobs.get('quarantined', 0)} quarantined")
    lines = [
        (report.not_indexed, "in the store but not in the index"),
        (report.stale_in_index, "indexed in an older version"),
        (report.orphans_in_index, "in the index with no document in the store"),
        (report.leftover_incoming, "staged copies left after a crash"),
        (report.records_without_job, "documents the journal does not know (journal restored or replaced?)"),
    ]
    for ids, what in lines:
        if ids:
            click.echo(f"{len(ids):>6}  {what}: {', '.join(i[:12] for i in ids[:5])}{' …' if len(ids) > 5 else ''}")
    for problem in report.serious:
        click.secho(f"  problem: {problem}", fg="red")
    if report.repaired:
        click.secho(f"repaired {report.repaired} difference(s)", fg="green")
    elif not report.index_differences and not report.leftover_incoming:
        click.secho("store, index and journal agree", fg="green")
    if report.serious:
        click.get_current_context().exit(1)
