"""What every command shares: the error exit."""

from __future__ import annotations

import pytest
import typer

from silkhub.cli import _common as cli_common


def test_fail_prints_brackets_as_they_are(capsys: pytest.CaptureFixture[str]) -> None:
    """A message naming ``[row, col]`` or a JSON path keeps its brackets (no Rich markup)."""
    with pytest.raises(typer.Exit) as caught:
        cli_common.fail("steps[1][0]: must be [row, col], got [1.0, 9.0]")
    assert caught.value.exit_code == cli_common.EXIT_BAD_INPUT
    assert "steps[1][0]: must be [row, col], got [1.0, 9.0]" in capsys.readouterr().err
