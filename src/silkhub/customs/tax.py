"""Import tax on B2C cross-border e-commerce retail imports (modes 1210 and 9610).

Within the limits (5,000 CNY a transaction, 26,000 CNY a year) the tariff is 0 % and import
VAT and consumption tax are levied at 70 % of the statutory amount (Cai Guan Shui [2016]
No. 18, 财关税〔2016〕18号; limits raised by Cai Guan Shui [2018] No. 49). Per item:

    dutiable value  D = total_price + the item's share of the freight (by value)
    consumption tax C = D / (1 − c) × c × 70 %          (c: consumption-tax rate)
    VAT             V = (D + D / (1 − c) × c) × v × 70 % (v: VAT rate)

each rounded half-up to the fen. Rates come from ``data/customs/tax_rates.csv`` (longest
HS prefix wins; ``*`` is the default row), each row citing its source.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from pathlib import Path

from silkhub.customs.messages import Inventory
from silkhub.model import Money, round_cents

__all__ = [
    "CROSS_BORDER_RETAIL_SHARE",
    "ImportTax",
    "ItemTax",
    "TaxRate",
    "TaxRates",
    "default_tax_rates",
    "import_tax",
    "load_tax_rates",
]

#: Share of the statutory VAT and consumption tax levied on retail imports within the limits.
CROSS_BORDER_RETAIL_SHARE = Decimal("0.7")


@dataclass(frozen=True, slots=True)
class TaxRate:
    """The VAT and consumption-tax rates of an HS prefix (``*``: every other code)."""

    hs_prefix: str
    vat_rate: Decimal
    consumption_tax_rate: Decimal
    description: str = ""
    source: str = ""

    def __post_init__(self) -> None:
        if self.hs_prefix != "*" and not self.hs_prefix.isdigit():
            raise ValueError(f"hs_prefix must be digits or '*', not {self.hs_prefix!r}")
        for name in ("vat_rate", "consumption_tax_rate"):
            rate = getattr(self, name)
            if not isinstance(rate, Decimal) or not Decimal(0) <= rate < 1:
                raise ValueError(f"{name} of {self.hs_prefix} must be a Decimal in [0, 1)")


@dataclass(frozen=True, slots=True)
class TaxRates:
    """A table of rates with a default row."""

    rates: tuple[TaxRate, ...]

    def __post_init__(self) -> None:
        if not any(r.hs_prefix == "*" for r in self.rates):
            raise ValueError("the tax-rate table needs a default row with hs_prefix '*'")

    def rate_for(self, hs_code: str) -> TaxRate:
        """The row with the longest prefix of ``hs_code``."""
        best = next(r for r in self.rates if r.hs_prefix == "*")
        for rate in self.rates:
            if (
                rate.hs_prefix != "*"
                and hs_code.startswith(rate.hs_prefix)
                and (best.hs_prefix == "*" or len(rate.hs_prefix) > len(best.hs_prefix))
            ):
                best = rate
        return best


@dataclass(frozen=True, slots=True)
class ItemTax:
    """The tax of one item of a list, in CNY."""

    gnum: int
    hs_code: str
    dutiable_value: Decimal
    tariff: Decimal
    consumption_tax: Decimal
    vat: Decimal


@dataclass(frozen=True, slots=True)
class ImportTax:
    """The tax due on one B2C import list (the sum of its rounded item taxes)."""

    order_no: str
    items: tuple[ItemTax, ...]
    tariff: Money
    consumption_tax: Money
    vat: Money

    @property
    def total(self) -> Money:
        """Tariff + consumption tax + VAT."""
        return self.tariff + self.consumption_tax + self.vat


def _parse(text: str, where: str) -> TaxRates:
    rates = []
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            rates.append(
                TaxRate(
                    hs_prefix=row["hs_prefix"].strip(),
                    vat_rate=Decimal(row["vat_rate"]),
                    consumption_tax_rate=Decimal(row["consumption_tax_rate"]),
                    description=row.get("description", "") or "",
                    source=row.get("source", "") or "",
                )
            )
        except (KeyError, InvalidOperation, ValueError) as exc:
            raise ValueError(f"{where}:{line}: {exc}") from exc
    return TaxRates(tuple(rates))


def load_tax_rates(path: Path | str) -> TaxRates:
    """Read a tax-rate CSV (columns hs_prefix, vat_rate, consumption_tax_rate, ...)."""
    path = Path(path)
    return _parse(path.read_text(encoding="utf-8"), str(path))


@cache
def default_tax_rates() -> TaxRates:
    """The rates shipped in ``data/customs/tax_rates.csv``."""
    text = (resources.files("silkhub") / "data" / "customs" / "tax_rates.csv").read_text(
        encoding="utf-8"
    )
    return _parse(text, "tax_rates.csv")


def import_tax(inventory: Inventory, freight: Decimal, rates: TaxRates | None = None) -> ImportTax:
    """The import tax of a B2C import list in CNY, with ``freight`` from its order.

    The caller checks that the list is a B2C import within the limits (``Clearance`` does);
    over the limits goods are not retail imports and this formula does not apply.
    """
    if inventory.currency != "CNY":
        raise ValueError(f"import tax is computed in CNY, the list is in {inventory.currency}")
    rates = rates or default_tax_rates()
    goods_total = sum((item.total_price for item in inventory.items), Decimal(0))
    share = CROSS_BORDER_RETAIL_SHARE
    items = []
    for item in inventory.items:
        freight_share = freight * item.total_price / goods_total if goods_total else Decimal(0)
        dutiable = item.total_price + freight_share
        rate = rates.rate_for(item.hs_code)
        c, v = rate.consumption_tax_rate, rate.vat_rate
        consumption_base = dutiable / (1 - c) * c
        items.append(
            ItemTax(
                gnum=item.gnum,
                hs_code=item.hs_code,
                dutiable_value=round_cents(dutiable),
                tariff=Decimal("0.00"),
                consumption_tax=round_cents(consumption_base * share),
                vat=round_cents((dutiable + consumption_base) * v * share),
            )
        )
    return ImportTax(
        order_no=inventory.order_no,
        items=tuple(items),
        tariff=Money(sum((i.tariff for i in items), Decimal("0.00")), "CNY"),
        consumption_tax=Money(sum((i.consumption_tax for i in items), Decimal("0.00")), "CNY"),
        vat=Money(sum((i.vat for i in items), Decimal("0.00")), "CNY"),
    )
