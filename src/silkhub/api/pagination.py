"""Offset pagination with a ``next`` link, the same on every listing.

``limit`` (1..500, default 50) and ``offset`` select a page; the answer carries ``total`` and
``next``, the relative URL of the following page (``null`` on the last), with every other
query parameter kept, so a client just follows ``next`` until it is null.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request

__all__ = ["MAX_LIMIT", "Paging", "PagingParams", "next_link"]

MAX_LIMIT = 500
DEFAULT_LIMIT = 50


@dataclass(frozen=True, slots=True)
class Paging:
    """The page asked for."""

    limit: int
    offset: int


def _paging(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000, description="Items to skip.")] = 0,
) -> Paging:
    return Paging(limit, offset)


PagingParams = Annotated[Paging, Depends(_paging)]


def next_link(request: Request, paging: Paging, total: int) -> str | None:
    """The relative URL of the next page, or ``None`` when this page is the last."""
    if paging.offset + paging.limit >= total:
        return None
    url = request.url.include_query_params(offset=paging.offset + paging.limit, limit=paging.limit)
    return f"{url.path}?{url.query}"
