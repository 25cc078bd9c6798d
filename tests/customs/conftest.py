"""Shared fixtures of the customs tests: message builders and the named sample files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from customs_builders import DATA, STANDARDS, Msg, export_set, import_set


@pytest.fixture
def export_messages() -> Callable[..., dict[str, Msg]]:
    """Builder of a clean export (order, receipt, waybill, list); keyword args change a kind."""
    return export_set


@pytest.fixture
def import_messages() -> Callable[..., dict[str, Msg]]:
    """Builder of a clean B2C bonded import; keyword args change a kind."""
    return import_set


@pytest.fixture(scope="session")
def mixed_day_file() -> Path:
    """A day at the port in 19 lines, each case one thing customs meets every day.

    A clean export (list first: pre-declared) and import, a list whose waybill never comes,
    an order with a wrong total (its list then lacks an order), a lithium battery export
    (held), a truncated JSON line and a resent receipt.
    """
    return DATA / "mixed_day.jsonl"


@pytest.fixture(scope="session")
def standards_dir() -> Path:
    """The official standards folder beside the repository (never copied into it)."""
    return STANDARDS
