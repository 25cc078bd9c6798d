"""Monthly summary declarations (汇总申报) of released export inventory lists.

Cross-border e-commerce exporters declare parcels one list at a time, then consolidate the
month's released lists into summary declarations. silkhub groups the lists released in a
calendar month (China Standard Time) by exporter (the order's ``ebc_code``), customs mode,
HS heading (the first 4 digits), destination country and currency — amounts in different
currencies or modes are never added — and sums value, quantity per unit and gross weight
(a list's gross weight is shared among its items by value).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from silkhub.customs.clearance import CHINA_TIME, InventoryRecord
from silkhub.customs.messages import CustomsMode, Direction
from silkhub.customs.verdicts import ClearanceState

__all__ = ["SummaryLine", "monthly_summary"]

_KG = Decimal("0.001")


@dataclass(frozen=True, slots=True)
class SummaryLine:
    """One line of a monthly summary declaration."""

    month: str
    exporter: str
    mode: CustomsMode
    hs_heading: str
    destination_country: str
    currency: str
    lists: int
    items: int
    total_value: Decimal
    gross_weight_kg: Decimal
    quantity: Mapping[str, Decimal] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if len(self.month) != 7 or self.month[4] != "-":
            raise ValueError(f"month is YYYY-MM, not {self.month!r}")
        if len(self.hs_heading) != 4 or not self.hs_heading.isdigit():
            raise ValueError(f"hs_heading is 4 digits, not {self.hs_heading!r}")


class _Group:
    __slots__ = ("items", "kg", "lists", "quantity", "value")

    def __init__(self) -> None:
        self.lists = 0
        self.items = 0
        self.value = Decimal(0)
        self.kg = Decimal(0)
        self.quantity: dict[str, Decimal] = {}


_Key = tuple[str, CustomsMode, str, str, str]


def monthly_summary(records: Iterable[InventoryRecord], month: str) -> list[SummaryLine]:
    """Consolidate the export lists released in ``month`` (``YYYY-MM``, China time)."""
    if (
        len(month) != 7
        or month[4] != "-"
        or not (month[:4] + month[5:]).isascii()
        or not (month[:4] + month[5:]).isdigit()
        or not 1 <= int(month[5:]) <= 12
    ):
        raise ValueError(f"month is YYYY-MM, not {month!r}")
    groups: dict[_Key, _Group] = {}
    for record in records:
        inventory = record.inventory
        if (
            record.state is not ClearanceState.RELEASED
            or record.released_at is None
            or inventory.direction is not Direction.EXPORT
            or record.released_at.astimezone(CHINA_TIME).strftime("%Y-%m") != month
        ):
            continue
        list_value = sum((i.total_price for i in inventory.items), Decimal(0))
        counted: set[_Key] = set()
        for item in inventory.items:
            key = (
                record.exporter,
                inventory.mode,
                item.hs_code[:4],
                inventory.destination_country,
                inventory.currency,
            )
            group = groups.setdefault(key, _Group())
            if key not in counted:
                counted.add(key)
                group.lists += 1
            group.items += 1
            group.value += item.total_price
            if list_value:
                group.kg += inventory.gross_weight_kg * item.total_price / list_value
            group.quantity[item.unit] = group.quantity.get(item.unit, Decimal(0)) + item.qty
    return [
        SummaryLine(
            month=month,
            exporter=exporter,
            mode=mode,
            hs_heading=heading,
            destination_country=destination,
            currency=currency,
            lists=g.lists,
            items=g.items,
            total_value=g.value,  # the exact sum: cents would cut KWD's or BHD's third decimal
            gross_weight_kg=g.kg.quantize(_KG),
            quantity=MappingProxyType(dict(sorted(g.quantity.items()))),
        )
        for (exporter, mode, heading, destination, currency), g in sorted(groups.items())
    ]
