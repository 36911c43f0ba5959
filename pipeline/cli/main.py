"""The command group, its global options and the one place errors become exit codes."""

from __future__ import annotations

import importlib
import logging
import pkgutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .. import __version__
from ..errors import ArchivioError
from ..prestart import resume_collection as _resume_collection
from ..prestart import start_workers_early as _start_workers_early

if TYPE_CHECKING:
    from ..config import Settings

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class Context:
    def __init__(self, config: Path | None, verbose: int, quiet: bool):
        self.config_file = config
        self.verbose = verbose
        self.quiet = quiet
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from ..config import load_settings  # pydantic: after the fork server has started (main)

            self._settings = load_settings(self.config_file)
            _resume_collection()  # paused by the entry point for the imports (prestart)
            setup_logging(self._settings, self.verbose, self.quiet)
        return self._settings


def setup_logging(settings: Settings, verbose: int, quiet: bool) -> None:
    level = logging.DEBUG if verbose > 1 else logging.INFO if verbose == 1 else getattr(logging, settings.log.level)
    if quiet:
        level = logging.WARNING
    handlers: list[logging.Handler] = []
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(message)s", "%H:%M:%S"))
    handlers.append(console)
    if settings.log.file:
        settings.log.file.parent.mkdir(parents=True, exist_ok=True)
        to_file = logging.FileHandler(settings.log.file, encoding="utf-8")
        to_file.setFormatter(logging.Formatter("%(asctime)s %(process)d %(name)s %(levelname)s %(message)s"))
        handlers.append(to_file)
    if settings.log.format == "json":
        from ..logjson import JsonFormatter

        for handler in handlers:
            handler.setFormatter(JsonFormatter())
    from ..logjson import DocumentFilter

    for handler in handlers:
        handler.addFilter(DocumentFilter())
    logging.basicConfig(level=level, handlers=handlers, force=True)
    for noisy in ("pdfminer", "pikepdf", "PIL", "watchdog", "elastic_transport", "botocore", "boto3", "urllib3", "s3transfer"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


class LazyGroup(click.Group):
    """Each command's module is imported when that command runs: `archivio search` must not pay
    for evaluation, audit, export or the API at start-up (Python imports are most of a small
    command's time). ``modules`` (command name -> module of this package) is filled in by
    pipeline/cli/__init__.py; a command missing from it is still found, by importing them all."""

    modules: dict[str, str] = {}

    def _load(self, names) -> None:
        for module in sorted(set(names)):
            importlib.import_module(f".{module}", __package__)

    def _load_all(self) -> None:
        package = sys.modules[__package__]
        self._load(m.name for m in pkgutil.iter_modules(package.__path__) if m.name != "main")

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            module = self.modules.get(cmd_name)
            if module:
                self._load([module])
            else:
                self._load_all()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_all()
        return super().list_commands(ctx)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--config", "-c", type=click.Path(dir_okay=False, path_type=Path), envvar="ARCHIVIO_CONFIG",
              help="Configuration file (TOML) with the settings to change; also ARCHIVIO_CONFIG.")
@click.option("--verbose", "-v", count=True, help="More detail in the log (-vv for debugging).")
@click.option("--quiet", "-q", is_flag=True, help="Only warnings and errors.")
@click.version_option(__version__, prog_name="archivio")
@click.pass_context
def cli(ctx: click.Context, config: Path | None, verbose: int, quiet: bool) -> None:
    """Archivio files the scans dropped into a folder: it reads them (OCR where needed), tells
    invoices, receipts and contracts apart, extracts and validates their key fields, keeps the
    originals in the archive and makes everything searchable.

    \b
    Start with:
      archivio watch                 take every scan dropped into ./inbox
      archivio search "fattura 2024" find documents again
      archivio status                what has been filed, what waits, what failed

    Settings come from config/archivio.toml, a file given with --config, and ARCHIVIO_*
    environment variables; `archivio config` shows them.
    """
    ctx.obj = Context(config, verbose, quiet)


def main(argv: list[str] | None = None) -> int:
    """The command line (``sys.argv`` when ``argv`` is None: the process's own entry point)."""
    code = _run(argv)
    if argv is None:
        _leave_the_heap_to_exit()
    return code


def _leave_the_heap_to_exit() -> None:
    """Called where the process exits right after: every object alive is put out of the garbage
    collector's reach (``gc.freeze``), so that shutdown does not walk the whole heap (pydantic's
    schemas, the reading code) again: about 0.05 s of CPU at the end of every command, in the
    tail of a small batch. Nothing is left to a finalizer: files, the journal and the index are
    closed or committed before the command returns (and Python promises no finalizer at exit).
    Not when ``main`` is called with arguments (tests, an embedding program): that process goes on."""
    import gc

    gc.freeze()


def _run(argv: list[str] | None) -> int:
    _start_workers_early(sys.argv[1:] if argv is None else list(argv))
    try:
        result = cli.main(args=argv, prog_name="archivio", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return EXIT_ERROR
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except ArchivioError as exc:
        logging.getLogger("archivio").debug("error details", exc_info=True)
        click.secho(f"error: {exc}", fg="red", err=True)
        return EXIT_ERROR
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except click.exceptions.Exit as exc:
        return exc.exit_code
    return result if isinstance(result, int) else EXIT_OK


pass_ctx = click.make_pass_decorator(Context)
