"""`silkhub serve`: the main job — the hub's API server on the embedded default or your store.

On first start it migrates the database, imports the embedded Zhengzhou network and creates
a ``demo`` organisation whose admin key is printed once, so a new user can call the API
straight away (see the README's "Get a quote with curl").
"""

from __future__ import annotations

import errno
import socket
from typing import Annotated

import typer

from silkhub.cli._common import err, fail, out
from silkhub.cli._store import DataDirOption, settings_or_exit, store_or_exit
from silkhub.store import DEMO_ORG, create_demo_org


def serve_command(
    host: Annotated[
        str | None, typer.Option("--host", help="Address to listen on (default 127.0.0.1).")
    ] = None,
    port: Annotated[
        int | None,
        typer.Option("--port", help="Port to listen on (default 8000).", min=0, max=65535),
    ] = None,
    data_dir: DataDirOption = None,
    demo: Annotated[
        bool, typer.Option("--demo/--no-demo", help="Create the demo organisation on first start.")
    ] = True,
) -> None:
    """Run the API server (migrates the store and imports the embedded network on first start)."""
    # Imported here: the other commands should not pay for loading the web stack.
    import uvicorn

    from silkhub.api import create_app

    settings = settings_or_exit(data_dir, host=host, port=port)
    _check_can_listen(settings.host, settings.port)
    store = store_or_exit(settings, with_default_network=settings.import_default_network)
    new = create_demo_org(store) if demo else None
    if new is not None:
        out.print(
            f"[bold]First start:[/] created organisation {DEMO_ORG!r} with an admin API key. "
            "It is shown only this once — keep it:"
        )
        out.print(f"\n    {new.plaintext}\n", markup=False, soft_wrap=True)
    app = create_app(settings, store=store)
    err.print(
        f"silkhub API on http://{settings.host}:{settings.port}  "
        f"(docs: http://{settings.host}:{settings.port}/docs, database: "
        f"{store.engine.url.render_as_string(hide_password=True)})",
        markup=False,
        soft_wrap=True,
    )
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")


def _check_can_listen(host: str, port: int) -> None:
    """Exit 2 naming --host or --port when the server could not listen there.

    uvicorn reports an unknown host or a port in use only once it starts, and exits 3, a code
    the CLI does not document; a trial bind before anything else says which option is wrong.
    """
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        fail(f"--host {host}: not an address this machine can listen on ({exc})")
    family, kind, proto, _, address = found[0]
    with socket.socket(family, kind, proto) as trial:
        trial.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            trial.bind(address)
        except OSError as exc:
            # in use, or below 1024 without the right: the port; an address not ours: the host
            port_errors = (errno.EADDRINUSE, errno.EACCES, errno.EPERM)
            option = "--port" if exc.errno in port_errors else "--host"
            value = port if option == "--port" else host
            fail(f"{option} {value}: cannot listen on {host}:{port} ({exc.strerror})")
