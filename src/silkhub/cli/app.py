"""The `silkhub` command: one command group per stage of the flow."""

from __future__ import annotations

import logging

import typer

from silkhub import __version__
from silkhub.cli import admin, customs, network, terminal
from silkhub.cli.quote import quote_command
from silkhub.cli.serve import serve_command

app = typer.Typer(
    name="silkhub",
    help="Run an inland multimodal cross-border logistics hub (Zhengzhou by default).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(network.app, name="network")
app.add_typer(customs.app, name="customs")
app.add_typer(terminal.app, name="terminal")
app.command("quote")(quote_command)
app.command("serve")(serve_command)
app.add_typer(admin.app, name="admin")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"silkhub {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress to stderr."),
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(name)s: %(message)s"
    )
