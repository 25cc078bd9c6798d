"""What every command shares: consoles, loading the network the user named, clean exits."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console

from silkhub.model import Network
from silkhub.network import NetworkInvalidError, default_network, load_network

#: Exit code for bad input (unknown place, bad number, invalid network folder...).
EXIT_BAD_INPUT = 2

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print ``message`` to stderr and leave with ``code``."""
    err.print(f"[bold red]error:[/] {message}", soft_wrap=True)
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


def network_or_exit(directory: Path | None) -> Network:
    """The network in ``directory`` (the embedded Zhengzhou hub when ``None``), or exit 2.

    An invalid folder prints every problem before leaving, so one run shows all there is to fix.
    """
    if directory is None:
        return default_network()
    try:
        return load_network(directory)
    except NetworkInvalidError as exc:
        for problem in exc.problems:
            err.print(str(problem), soft_wrap=True, markup=False)
        fail(f"--network {directory}: {len(exc.problems)} problem(s), see above")


NETWORK_OPTION_HELP = (
    "Network folder (docs/network-format.md); the embedded Zhengzhou hub if not given."
)
