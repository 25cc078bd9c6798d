"""Shared fixtures: small named networks in tests/data/, each described by its docstring."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from silkhub.model import Network
from silkhub.network import load_network

DATA = Path(__file__).parent / "data"

# Every property test runs without Hypothesis's 200 ms deadline: on a loaded CI machine one
# stalled example (a full garbage collection, a stolen CPU) would fail a correct test, and
# no test here measures speed (benchmarks/ does). A failure prints the blob that replays it
# (@reproduce_failure), since CI starts without the example database.
settings.register_profile("silkhub", deadline=None, print_blob=True)
settings.load_profile("silkhub")


@pytest.fixture(scope="session")
def tiny_hub_dir() -> Path:
    """The tiny hub: small enough to reason about by hand, rich enough to hit every rule.

    Five places, a direct CGO→MAD freighter, a multi-stop CGO→KGF→OSL freighter with two
    calendar rows on alternate weekdays, mode-specific transfers at CGO and a Yiwu truck link.
    """
    return DATA / "tiny_hub"


@pytest.fixture(scope="session")
def tiny_hub(tiny_hub_dir: Path) -> Network:
    """The tiny hub, loaded."""
    return load_network(tiny_hub_dir)


@pytest.fixture
def tiny_hub_copy(tiny_hub_dir: Path, tmp_path: Path) -> Path:
    """A writable copy of the tiny hub folder, for tests that break it on purpose."""
    target = tmp_path / "tiny_hub"
    shutil.copytree(tiny_hub_dir, target)
    return target
