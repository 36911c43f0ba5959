"""``archivio serve``: the HTTP API and the web page."""

from __future__ import annotations

import socket

import click

from .main import Context, cli, pass_ctx


@cli.command()
@click.option("--host", help="Address to listen on (api.host; 0.0.0.0 for the whole network).")
@click.option("--port", type=click.IntRange(0, 65535), help="Port (api.port; 0 picks a free one).")
@pass_ctx
def serve(ctx: Context, host: str | None, port: int | None) -> None:
    """Serve the web page and the HTTP API until Ctrl-C.

    Sign in on the page with a token from `archivio token create`; the API's schema and a
    console to try it are at /docs. Put it behind an HTTPS proxy outside a trusted network
    (and set api.secure_cookies = true).

    \b
    Examples:
      archivio token create --role archivist --name "Maria Bianchi"
      archivio serve --port 8080
    """
    import uvicorn

    from ..api import create_app

    settings = ctx.settings
    host = host or settings.api.host
    port = settings.api.port if port is None else port
    app = create_app(settings)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    click.echo(f"Archivio serving on http://{shown}:{sock.getsockname()[1]}/ — Ctrl-C to stop", err=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    server.run(sockets=[sock])
