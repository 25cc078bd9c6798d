"""First start: server processes opening one new store together import the network once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from silkhub.settings import Settings
from silkhub.store import NetworkRow, Store, make_engine

#: One worker's start: open the store with the embedded network, but load that network only
#: once every worker has found the store empty (so they all race for the first import).
_OPEN = """
import sys, time, pathlib
from silkhub.network import default_network
from silkhub.settings import Settings
from silkhub.store import open_store

url, gate, me, workers = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])

def network():
    (gate / me).touch()
    deadline = time.monotonic() + 120
    while len(list(gate.iterdir())) < workers and time.monotonic() < deadline:
        time.sleep(0.01)
    return default_network()

open_store(Settings(database_url=url), network=network).close()
print("opened")
"""


def test_workers_starting_together_on_a_new_store_import_the_network_once(
    empty_database_url: str, tmp_path: Path
) -> None:
    """Four workers that all found the store empty leave one network, the first one imported.

    Each used to import it (on SQLite each import replaced the previous one; on PostgreSQL,
    imports running at once each kept what they found, leaving several networks).
    """
    workers = 4
    gate = tmp_path / "gate"
    gate.mkdir()
    starts = [
        subprocess.Popen(
            [sys.executable, "-c", _OPEN, empty_database_url, str(gate), str(i), str(workers)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(workers)
    ]
    results = [(process, *process.communicate(timeout=300)) for process in starts]
    for process, out, err in results:
        assert process.returncode == 0, err
        assert out.strip() == "opened"
    assert len(list(gate.iterdir())) == workers  # every worker had found the store empty
    store = Store(make_engine(Settings(database_url=empty_database_url).url))
    try:
        with store.session() as session:
            networks = session.scalars(select(NetworkRow)).all()
        assert [row.id for row in networks] == [1]
    finally:
        store.close()
