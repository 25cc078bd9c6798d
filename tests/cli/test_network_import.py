"""`silkhub network import DIR`: a network folder into the server's store."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from silkhub.cli import app
from silkhub.model import Network
from silkhub.settings import Settings
from silkhub.store import NetworkRepository, open_store

runner = CliRunner()


def test_import_stores_the_network(tiny_hub_dir: Path, tiny_hub: Network, tmp_path: Path) -> None:
    """The imported folder is the store's network, read back unchanged."""
    result = runner.invoke(
        app, ["network", "import", str(tiny_hub_dir), "--data-dir", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "imported network tiny_hub: 5 places, 2 services" in result.stdout
    store = open_store(Settings(data_dir=tmp_path, import_default_network=False))
    with store.session() as session:
        repo = NetworkRepository(session)
        current = repo.current()
        assert current is not None
        assert repo.load_network(current.id) == tiny_hub
    store.close()


def test_invalid_folder_lists_problems_and_exits_2(tiny_hub_copy: Path, tmp_path: Path) -> None:
    """An invalid folder is not imported; its problems are listed."""
    (tiny_hub_copy / "places.csv").write_text(
        (tiny_hub_copy / "places.csv").read_text().replace("Europe/Oslo", "Europe/Olso")
    )
    result = runner.invoke(
        app, ["network", "import", str(tiny_hub_copy), "--data-dir", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "'Europe/Olso' is not an IANA time zone" in result.output
    assert not (tmp_path / "silkhub.db").exists()


def test_missing_folder_exits_2(tmp_path: Path) -> None:
    """A folder that does not exist is a usage error."""
    result = runner.invoke(app, ["network", "import", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "is not a folder" in result.output
