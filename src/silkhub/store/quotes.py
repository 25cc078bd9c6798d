"""Quotes a tenant asked for, kept with the request and the answer as JSON."""

from __future__ import annotations

from typing import ClassVar

from silkhub.store.tables import QuoteRow
from silkhub.store.tenant import TenantRepository

__all__ = ["QuoteRepository"]


class QuoteRepository(TenantRepository[QuoteRow]):
    """One organisation's quotes (ids ``quo_…``)."""

    model: ClassVar[type[QuoteRow]] = QuoteRow
    id_prefix: ClassVar[str] = "quo"
