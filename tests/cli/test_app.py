"""The root `silkhub` group: every stage's command is there, and each loads only its stage."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from silkhub.cli import app
from silkhub.cli.app import STAGE_COMMANDS, _load

runner = CliRunner()

#: Libraries that only the store, the service, the terminal or customs need.
_OTHER_STAGES = (
    "silkhub.store",
    "silkhub.api",
    "silkhub.terminal",
    "silkhub.customs",
    "sqlalchemy",
    "alembic",
    "fastapi",
    "uvicorn",
)


def _modules_after(args: list[str]) -> tuple[int, list[str]]:
    """Run ``silkhub ARGS`` in a fresh interpreter; its exit code and which heavy modules it loaded."""
    script = (
        "import json, sys\n"
        "from typer.testing import CliRunner\n"
        "from silkhub.cli import app\n"
        f"result = CliRunner().invoke(app, {args!r})\n"
        f"print(json.dumps([result.exit_code, [m for m in {_OTHER_STAGES!r} if m in sys.modules]]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=300
    )
    code, loaded = json.loads(done.stdout.strip().splitlines()[-1])
    return int(code), list(loaded)


@pytest.mark.parametrize(
    "args",
    [
        ["quote", "--from", "YIW", "--to", "MAD", "--ready", "2026-12-07T09:00+08:00",
         "--weight", "500", "--json"],
        ["network", "show"],
    ],
    ids=["quote", "network show"],
)  # fmt: skip
def test_a_command_loads_no_other_stage(args: list[str]) -> None:
    """`quote` and `network show` run without the store, service, terminal or customs.

    Importing them all had been 2.4 s of a 2.9 s `silkhub quote`.
    """
    code, loaded = _modules_after(args)
    assert code == 0
    assert loaded == []


def test_a_stage_loads_its_own_libraries_when_its_command_runs() -> None:
    """The lazy loading still imports what a command needs: `admin` gets the store."""
    code, loaded = _modules_after(["admin", "--help"])
    assert code == 0
    assert "silkhub.store" in loaded
    assert "silkhub.terminal" not in loaded


def test_help_lists_every_stage_in_order() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    commands_box = result.stdout.split("Commands", 1)[1]
    listed = re.findall(r"^│ ([a-z]+) ", commands_box, flags=re.MULTILINE)
    assert listed == list(STAGE_COMMANDS), result.stdout


def test_the_root_help_loads_no_stage() -> None:
    """`silkhub --help` lists the stages from their one-line help, importing none of them."""
    code, loaded = _modules_after(["--help"])
    assert code == 0
    assert loaded == []


def test_the_listed_help_is_each_commands_own() -> None:
    """The one-line help the root lists is the first paragraph of the command's own help."""
    for name, (_module, _attribute, listed) in STAGE_COMMANDS.items():
        own = _load(name).help or ""
        first = " ".join(own.split("\n\n", 1)[0].split())
        assert listed == first, name


def test_every_stage_command_resolves_under_its_name() -> None:
    for name in STAGE_COMMANDS:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert f"silkhub {name}" in result.stdout


def test_completion_options_belong_to_the_root_command_only() -> None:
    """As with ``add_typer``: a stage's help has no --install-completion/--show-completion."""
    assert "--show-completion" in runner.invoke(app, ["--help"]).stdout
    for name in STAGE_COMMANDS:
        result = runner.invoke(app, [name, "--help"])
        assert "--show-completion" not in result.stdout, name
        assert "--install-completion" not in result.stdout, name
    result = runner.invoke(app, ["quote", "--show-completion", "bash"])
    assert result.exit_code == 2  # no such option there


def test_an_unknown_command_is_refused_with_exit_code_2() -> None:
    result = runner.invoke(app, ["qoute"])
    assert result.exit_code == 2
    assert "No such command" in result.output
    assert "quote" in result.output  # Typer suggests the near miss
