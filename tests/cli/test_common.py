"""What every command shares: the error exit."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer

from silkhub.cli import _common as cli_common


def test_fail_prints_brackets_as_they_are(capsys: pytest.CaptureFixture[str]) -> None:
    """A message naming ``[row, col]`` or a JSON path keeps its brackets (no Rich markup)."""
    with pytest.raises(typer.Exit) as caught:
        cli_common.fail("steps[1][0]: must be [row, col], got [1.0, 9.0]")
    assert caught.value.exit_code == cli_common.EXIT_BAD_INPUT
    assert "steps[1][0]: must be [row, col], got [1.0, 9.0]" in capsys.readouterr().err


def test_python_dash_m_silkhub_runs_the_cli() -> None:
    """``python -m silkhub`` is the CLI, for environments without the console script."""
    done = subprocess.run(
        [sys.executable, "-m", "silkhub", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("silkhub ")
