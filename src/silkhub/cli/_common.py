"""What every command shares: consoles, loading the network the user named, clean exits."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from silkhub.model import Network
from silkhub.network import NetworkInvalidError, default_network, load_network

#: Exit code for bad input (unknown place, bad number, invalid network folder...).
EXIT_BAD_INPUT = 2

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print ``message`` to stderr and leave with ``code``.

    The message is plain text: brackets in it (``[row, col]``, a JSON path) are printed as they
    are, not read as Rich markup.
    """
    err.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)
    raise typer.Exit(code)


def require_file(path: Path, label: str) -> None:
    """Exit 2 unless ``path`` is a file, saying whether it is missing or something else."""
    if path.is_file():
        return
    if path.is_dir():
        fail(f"{label} {path}: is a folder, not a file")
    if path.exists():
        fail(f"{label} {path}: is not a regular file")
    fail(f"{label} {path}: no such file")


#: Problems of an invalid ``--network`` folder printed before the count; `network validate` lists all.
SHOWN_PROBLEMS = 50


def network_or_exit(directory: Path | None, label: str = "--network") -> Network:
    """The network in ``directory`` (the embedded Zhengzhou hub when ``None``), or exit 2.

    An invalid folder prints its first ``SHOWN_PROBLEMS`` problems and how many there are in
    all: a folder with one mistake on every row would otherwise bury the command's answer
    under thousands of lines. ``silkhub network validate`` lists every one. ``label`` names
    the folder in the messages, as the user gave it (an option or an argument).
    """
    if directory is None:
        return default_network()
    try:
        with err.status(f"reading {escape(str(directory))}"):  # a spinner, only in a terminal
            return load_network(directory)
    except NetworkInvalidError as exc:
        for problem in exc.problems[:SHOWN_PROBLEMS]:
            err.print(str(problem), soft_wrap=True, markup=False)
        total = len(exc.problems)
        if total > SHOWN_PROBLEMS:
            fail(
                f"{label} {directory}: {total:,} problems, the first {SHOWN_PROBLEMS} above; "
                f"`silkhub network validate {directory}` lists them all"
            )
        fail(f"{label} {directory}: {total} problem(s), see above")


NETWORK_OPTION_HELP = (
    "Network folder (docs/network-format.md); the embedded Zhengzhou hub if not given."
)
