"""Money as exact decimal text and times as aware UTC, on the way in and out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import Column, MetaData, Table, insert, select
from sqlalchemy.exc import StatementError

from silkhub.store import make_engine
from silkhub.store.types import DecimalText, UtcDateTime


@pytest.fixture
def scratch() -> Table:
    """A one-off table with a money and a time column."""
    return Table("scratch", MetaData(), Column("money", DecimalText), Column("at", UtcDateTime))


def test_decimal_and_aware_times_round_trip(scratch: Table) -> None:
    """12.50 stays 12.50 (not 12.5) and a +08:00 time comes back as the same instant in UTC."""
    engine = make_engine("sqlite://")
    scratch.metadata.create_all(engine)
    shanghai = datetime(2025, 3, 3, 8, 0, tzinfo=timezone(timedelta(hours=8)))
    with engine.begin() as conn:
        conn.execute(insert(scratch), {"money": Decimal("12.50"), "at": shanghai})
        money, at = conn.execute(select(scratch.c.money, scratch.c.at)).one()
    assert str(money) == "12.50"
    assert at == shanghai
    assert at.tzinfo is UTC


def test_naive_times_and_float_money_are_refused(scratch: Table) -> None:
    """Naive datetimes and floats for money are bugs; the store refuses to guess."""
    engine = make_engine("sqlite://")
    scratch.metadata.create_all(engine)
    with engine.begin() as conn, pytest.raises(StatementError, match="naive"):
        conn.execute(insert(scratch), {"at": datetime(2025, 3, 3, 8, 0)})
    with engine.begin() as conn, pytest.raises(StatementError, match="Decimal"):
        conn.execute(insert(scratch), {"money": 12.5})
