"""`silkhub admin create-org|create-key`: tenants and keys from the command line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from silkhub.cli import app
from silkhub.settings import Settings
from silkhub.store import ApiKeyRepository, Role, open_store

runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_create_org_then_key_prints_a_working_key_once(tmp_path: Path) -> None:
    """The key is the only thing on stdout, and it authenticates as that org and role."""
    data = str(tmp_path)
    code, out, _ = _run("admin", "create-org", "Henan Cargo", "--data-dir", data)
    assert code == 0, out
    assert "created organisation 'Henan Cargo'" in out
    code, out, err = _run(
        "admin", "create-key", "--org", "Henan Cargo", "--role", "forwarder", "--data-dir", data
    )
    assert code == 0, err
    key = out.strip()
    assert re.fullmatch(r"shk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}", key)
    assert "shown only this once" in err
    store = open_store(Settings(data_dir=tmp_path, import_default_network=False))
    with store.session() as session:
        caller = ApiKeyRepository(session).authenticate(key)
    store.close()
    assert caller is not None
    assert (caller.org_name, caller.role) == ("Henan Cargo", Role.FORWARDER)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create-key", "--org", "Nobody", "--role", "shipper"], "no organisation 'Nobody'"),
        (["create-key", "--org", "Henan Cargo", "--role", "captain"], "captain"),
        (["create-org", "Henan Cargo"], "already exists"),
        (["create-org", "-bad name"], "No such option"),
        (["create-org", "semi;colon"], "organisation names are"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(
    tmp_path: Path, args: list[str], message: str
) -> None:
    """Unknown organisations, roles, taken or bad names exit 2 and say why."""
    assert _run("admin", "create-org", "Henan Cargo", "--data-dir", str(tmp_path))[0] == 0
    code, out, err = _run("admin", *args, "--data-dir", str(tmp_path))
    assert code == 2
    assert message in out + err


def test_a_data_dir_that_is_a_file_exits_1_with_a_message(tmp_path: Path) -> None:
    """--data-dir naming a file: the database cannot be opened (exit 1), no traceback."""
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["admin", "create-org", "X", "--data-dir", str(afile)])
    assert result.exit_code == 1
    assert "cannot open the database" in result.output
    assert "Traceback" not in result.output
