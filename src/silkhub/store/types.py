"""Column types that keep silkhub's rules on both databases: exact money, UTC-aware times.

SQLite has no decimal and no time-zone-aware timestamp, and SQLAlchemy's generic ``Numeric``
warns (and rounds through float) there. Money is therefore stored as its exact decimal text,
and times as UTC, handed back aware whatever the backend returned.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import DateTime, Dialect, String
from sqlalchemy.types import TypeDecorator

__all__ = ["DecimalText", "UtcDateTime"]


class DecimalText(TypeDecorator[Decimal]):
    """A ``Decimal`` stored as its exact text (``"12.50"`` stays ``12.50``, never ``12.5000001``)."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        """The exact text of ``value``; a float here would already have lost the cents."""
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"DecimalText needs a Decimal, not {type(value).__name__}")
        return str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        """The stored text back as a ``Decimal``."""
        return None if value is None else Decimal(str(value))


class UtcDateTime(TypeDecorator[datetime]):
    """An aware datetime stored in UTC; naive datetimes are refused (they are always a bug)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """UTC; naive on SQLite, which cannot keep an offset."""
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} cannot be stored; make it aware")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """An aware UTC datetime, whatever the backend handed back."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
