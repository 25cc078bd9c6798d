"""The embedded default network: the Zhengzhou hub, shipped inside the package."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import as_file, files
from pathlib import Path

from silkhub.model import Network
from silkhub.network.loader import load_network

DEFAULT_NETWORK_NAME = "zhengzhou"


def default_network_path() -> Path:
    """The folder of the embedded network inside the installed package."""
    with as_file(files("silkhub") / "data" / DEFAULT_NETWORK_NAME) as path:
        return Path(path)


@lru_cache(maxsize=1)
def default_network() -> Network:
    """The embedded Zhengzhou network (loaded once: it is immutable, so sharing is safe)."""
    return load_network(default_network_path())
