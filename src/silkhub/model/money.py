"""Money as an exact Decimal amount with an ISO 4217 currency code.

Floats never hold money in silkhub: a quote is a sum of rounded charges, and a customs
check compares totals to the cent, so binary rounding errors would show up as mismatches.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def round_cents(amount: Decimal) -> Decimal:
    """Round to 0.01 half-up, the commercial rounding freight tariffs use."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in one currency; arithmetic across currencies is a programming error."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError(f"Money.amount must be a Decimal, not {type(self.amount).__name__}")
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            raise ValueError(
                f"Money.currency must be a 3-letter ISO 4217 code, not {self.currency!r}"
            )

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValueError(f"cannot add {other.currency} to {self.currency}")
        return Money(self.amount + other.amount, self.currency)

    def rounded(self) -> Money:
        """The same money rounded to cents."""
        return Money(round_cents(self.amount), self.currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """No money in ``currency``; the start of a sum."""
        return cls(Decimal("0.00"), currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
