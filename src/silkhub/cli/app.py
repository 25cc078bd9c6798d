"""The `silkhub` command: one command group per stage of the flow, each loaded when it runs.

The stages' libraries are heavy to import (the store brings SQLAlchemy and Alembic, the
terminal SciPy and its Numba kernels, the service FastAPI): importing them all made every
command spend about 2.4 s before doing anything, four fifths of a `silkhub quote`. So the
root group knows the stages only by module name and imports a stage's module when its
command is looked up: `silkhub quote` loads routing and the network, not the store or the
terminal. `silkhub --help` lists each command with the one-line help kept beside its module
name here (a test checks it against the command's own), so it loads none of them either.
"""

from __future__ import annotations

import functools
import importlib
import logging
from difflib import get_close_matches
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from silkhub import __version__

#: Each top-level command, in the order `--help` lists them: the module that defines it, the
#: name there of its Typer group or of its command function, and its help's first line as
#: the root's `--help` lists it (``tests/cli/test_app.py`` checks it against the command's).
STAGE_COMMANDS: dict[str, tuple[str, str, str]] = {
    "quote": (
        "silkhub.cli.quote",
        "quote_command",
        "Quote Pareto-optimal itineraries (arrival, price, CO₂e) for one shipment.",
    ),
    "serve": (
        "silkhub.cli.serve",
        "serve_command",
        "Run the API server (migrates the store and imports the embedded network on first start).",
    ),
    "network": ("silkhub.cli.network", "app", "Show, validate and export hub networks."),
    "customs": (
        "silkhub.cli.customs",
        "app",
        "Customs e-clearance: validate and match messages, file them in the store.",
    ),
    "terminal": (
        "silkhub.cli.terminal",
        "app",
        "Run the terminal floor (induction, shelves, AGV fleet) and check AGV plans.",
    ),
    "admin": ("silkhub.cli.admin", "app", "Manage organisations (tenants) and API keys."),
}


class _StageGroup(TyperGroup):
    """The root group: imports a stage's module only when one of its commands is looked up.

    Its commands are ``STAGE_COMMANDS`` and nothing else: a command added to ``app`` with
    ``app.command`` or ``app.add_typer`` would not be listed, so a new top-level command goes
    into ``STAGE_COMMANDS``. Subclassing ``TyperGroup`` is how Typer's documentation
    customises a group's commands. Contexts and commands are typed ``Any``: Typer 0.29 builds
    on a private copy of Click, older releases on Click itself, and these methods work with
    either.
    """

    def list_commands(self, ctx: Any) -> list[str]:
        return list(STAGE_COMMANDS)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        # Typer suggests near misses from the commands it holds, and this group holds only the
        # stages loaded so far: suggest from every stage's name instead.
        try:
            return super().resolve_command(ctx, args)
        except Exception as error:  # Click's UsageError, from whichever Click Typer uses
            message = getattr(error, "message", None)
            if (
                self.suggest_commands
                and isinstance(message, str)
                and args
                and "Did you mean" not in message
            ):
                near = get_close_matches(args[0], list(STAGE_COMMANDS))
                if near:
                    names = ", ".join(repr(name) for name in near)
                    error.message = f"{message.rstrip('.')}. Did you mean {names}?"  # type: ignore[attr-defined]
            raise

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in STAGE_COMMANDS:
            return None
        if getattr(ctx, "_silkhub_listing", False):
            return _listing_entry(cmd_name)
        return _load(cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        # The root's help only lists the commands: from their one-line help in
        # STAGE_COMMANDS, without importing every stage (a second of a 2 s `--help`).
        ctx._silkhub_listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            ctx._silkhub_listing = False


@functools.cache
def _listing_entry(name: str) -> Any:
    """A stand-in for command ``name`` that only carries its one-line help, for the listing."""
    return TyperCommand(name=name, help=STAGE_COMMANDS[name][2])


@functools.cache  # one module import and one build per command and process
def _load(name: str) -> Any:
    """Import the module of top-level command ``name`` and build its Click command.

    As ``app.add_typer`` and ``app.command`` would: a stage's Typer becomes a group (even one
    with a single command), and neither gets Typer's ``--install-completion`` and
    ``--show-completion``, which are options of the root command only.
    """
    module_name, attribute, _help = STAGE_COMMANDS[name]
    found = getattr(importlib.import_module(module_name), attribute)
    command: Any
    if isinstance(found, typer.Typer):
        command = typer.main.get_group(found)
    else:  # a command function: a one-command Typer app builds it as a plain command
        single = typer.Typer(add_completion=False)
        single.command(name)(found)
        command = typer.main.get_command(single)
    command.name = name
    return command


app = typer.Typer(
    name="silkhub",
    help="Run an inland multimodal cross-border logistics hub (Zhengzhou by default).",
    cls=_StageGroup,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


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
