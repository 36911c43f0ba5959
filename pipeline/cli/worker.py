"""``archivio worker``: the reading half of distributed mode (queue.backend = "celery")."""

from __future__ import annotations

import click

from .main import Context, cli, pass_ctx


@cli.command()
@click.option("--concurrency", "-j", type=click.IntRange(1), help="Documents read at once by this worker "
              "(pool processes; default workers.count, or 1).")
@click.option("--health", is_flag=True, help="Only check that a worker on this host answers the broker "
              "(exit 0) or not (exit 1): for a container's liveness probe or a systemd watchdog.")
@pass_ctx
def worker(ctx: Context, concurrency: int | None, health: bool) -> None:
    """Read, classify, extract, file and index documents queued by `archivio watch` on the broker.

    Needs queue.backend = "celery", an S3 store and Elasticsearch: workers on many machines share
    only those, no folder. Start as many as you like, anywhere; each takes one document at a time
    per process, and a document whose worker dies goes to another one. Stop with Ctrl-C or
    SIGTERM: the documents in progress finish first (a second Ctrl-C stops at once; they are
    then read again elsewhere).

    \b
    Italiano: legge, classifica, estrae, archivia e indicizza i documenti messi in coda da
    `archivio watch`; richiede queue.backend = "celery", archivio S3 ed Elasticsearch.

    \b
    Examples:
      ARCHIVIO_QUEUE_BROKER_URL=redis://queue:6379/0 archivio worker -j 2
      archivio worker --health
    """
    settings = ctx.settings
    if health:
        from ..queue.worker import healthy

        ok = healthy(settings)
        click.echo("worker alive" if ok else "no worker on this host answers the broker")
        ctx_exit = click.get_current_context()
        ctx_exit.exit(0 if ok else 1)
    from ..queue.worker import run_worker

    run_worker(settings, concurrency=concurrency, loglevel="DEBUG" if ctx.verbose > 1 else "INFO")
