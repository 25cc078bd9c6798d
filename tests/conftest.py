"""Shared fixtures: small named networks in tests/data/, each described by its docstring."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from silkhub.model import Network
from silkhub.network import load_network

DATA = Path(__file__).parent / "data"


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
