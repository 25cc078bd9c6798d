"""The four cross-border e-commerce messages of China customs' unified system, in silkhub's form.

An order (CEB303 export / CEB311 import), a payment or receipt (CEB403 / CEB411), a logistics
waybill (CEB505 / CEB511) and an inventory list (CEB603 / CEB621) share an ``order_no``: that
is how customs matches the "three orders" with the list it releases. silkhub keeps the fields
every rule needs with international codes (ISO 3166-1 alpha-2 countries, ISO 4217
currencies, UN/ECE Rec 20 units, HS codes as 6, 8 or 10 digits); the customs' own code
tables appear only in the CEB XML at the edge (``silkhub.customs.ceb``).

The classes are frozen ``msgspec.Struct`` records rather than dataclasses, a measured choice
(docs/customs.md, "Performance"): msgspec decodes a JSON line straight into them 3.4x faster
than into equivalent frozen dataclasses (2.9 µs vs 9.9 µs for a two-item order), which is
what lets one core validate 50,000+ messages a second. They read and compare like frozen
dataclasses and check themselves in ``__post_init__``.

Money and masses are exact ``Decimal`` values: the checks compare totals to the cent and
weights to the gram, and a round trip through the XML must give back the same numbers.

Bad *input* never reaches ``__post_init__`` as an exception: the JSON Lines reader turns it
into problems with stable codes first; the checks here guard code that builds messages.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

import msgspec

__all__ = [
    "ID_FIELDS",
    "MAX_ID_LENGTH",
    "PATH_ID_FIELDS",
    "CustomsMode",
    "Direction",
    "Inventory",
    "Item",
    "Message",
    "MessageKind",
    "Order",
    "Payment",
    "TransportMode",
    "Waybill",
    "id_problem",
]


class Direction(StrEnum):
    """Whether goods leave China (export) or enter it (import)."""

    EXPORT = "export"
    IMPORT = "import"


class CustomsMode(StrEnum):
    """China customs supervision modes for cross-border e-commerce (贸易方式)."""

    #: B2C direct export/import by parcel, declared with an inventory list.
    DIRECT = "9610"
    #: B2B direct export.
    B2B_DIRECT_EXPORT = "9710"
    #: B2B export to an overseas warehouse.
    OVERSEAS_WAREHOUSE = "9810"
    #: Bonded e-commerce through a special customs supervision zone.
    BONDED = "1210"


class MessageKind(StrEnum):
    """The ``type`` of a message line."""

    ORDER = "order"
    PAYMENT = "payment"
    WAYBILL = "waybill"
    INVENTORY = "inventory"


class TransportMode(StrEnum):
    """How a parcel travels across the border; ICS2 pre-loading data is required for air."""

    AIR = "air"
    RAIL = "rail"
    SEA = "sea"
    ROAD = "road"
    POST = "post"


def _empty(owner: str, record: object, names: tuple[str, ...]) -> None:
    for name in names:
        value = getattr(record, name)
        if not isinstance(value, str) or not value:
            raise ValueError(f"{owner}.{name} must be a non-empty string, not {value!r}")


#: The longest id a message may carry where the store keys lists, dossiers and totals by it
#: (``message_id``, ``order_no``, an order's ``ebc_code`` and ``buyer_id``): its columns hold
#: 100 characters, and PostgreSQL refuses a longer value where SQLite would keep it.
MAX_ID_LENGTH = 100
ID_FIELDS = ("message_id", "order_no", "ebc_code", "buyer_id")
#: The ids an API path names (an inventory list is its message_id): no '/' in them.
PATH_ID_FIELDS = ("message_id", "order_no")
#: What the API's paths refuse in an id besides '/': control characters (TAB, CR...).
PATH_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


def id_problem(name: str, value: str) -> str | None:
    """Why an id the store keys by cannot be taken at the edge, or ``None``.

    Checked where messages come in (JSON lines, API batches, CEB XML), not in the messages'
    own invariants: lists stored before a rule existed must still be read back.
    """
    if len(value) > MAX_ID_LENGTH:
        return f"must be at most {MAX_ID_LENGTH} characters, not {len(value)}"
    if name in PATH_ID_FIELDS and "/" in value:
        return "must not contain '/' (an API path could not name it)"
    if name in PATH_ID_FIELDS and PATH_UNSAFE.search(value):
        return "must not contain control characters (an API path could not name it)"
    return None


def _not_decimal(owner: str, **values: object) -> None:
    for name, value in values.items():
        if value is not None and type(value) is not Decimal:
            raise TypeError(f"{owner}.{name} must be a Decimal, not {type(value).__name__}")


#: The magnitude a number of a message must stay below. CEB amounts are N19,5 (14 integer
#: digits); beyond this, Decimal arithmetic on a value like ``1e999999999`` would overflow.
MAX_MAGNITUDE_DIGITS = 15
_BIG = MAX_MAGNITUDE_DIGITS  # short, for the inline tests of the __post_init__ methods


#: The most parcels one waybill may count: the CEB ``packNo`` is an xs:int of 9 digits.
MAX_PIECES = 999_999_999
PIECES_REASON = f"must be at most {MAX_PIECES:,} (the CEB packNo holds 9 digits)"


def too_large(value: Decimal) -> bool:
    """Whether ``value`` is 1e15 or more in magnitude.

    ``Decimal.adjusted()`` is the exponent of the leading digit: 0 for NaN, infinities and
    zero, which other checks handle. The hot ``__post_init__`` methods test it inline.
    """
    return value.adjusted() >= MAX_MAGNITUDE_DIGITS


def magnitude_reason(value: object) -> str:
    """Why a number is refused by ``too_large``."""
    return f"must be below 1e{MAX_MAGNITUDE_DIGITS} in magnitude, not {value}"


def _too_large(owner: str, **values: Decimal | None) -> None:
    """Raise for the first of ``values`` that is ``too_large`` (once a quick test failed)."""
    for name, value in values.items():
        if value is not None and too_large(value):
            raise ValueError(f"{owner}.{name} {magnitude_reason(value)}")


def _check_items(owner: str, items: tuple[Item, ...]) -> None:
    if type(items) is not tuple or not items:
        raise ValueError(f"{owner}.items must be a non-empty tuple of Item")
    for position, item in enumerate(items, start=1):
        if type(item) is not Item:
            raise TypeError(f"{owner}.items[{position - 1}] must be an Item")
        if item.gnum != position:
            raise ValueError(
                f"{owner}.items must be numbered 1, 2, 3... (item {position} has gnum {item.gnum})"
            )


_ITEM_TEXT = ("item_no", "item_name", "hs_code", "unit", "origin_country")
_ORDER_TEXT = (
    "message_id",
    "order_no",
    "ebp_code",
    "ebc_code",
    "buyer_id",
    "buyer_name",
    "currency",
)
_PAYMENT_TEXT = ("message_id", "order_no", "pay_code", "pay_transaction_id", "currency", "payer_id")
_WAYBILL_TEXT = (
    "message_id",
    "order_no",
    "logistics_code",
    "logistics_no",
    "consignee_name",
    "consignee_country",
)
_INVENTORY_TEXT = (
    "message_id",
    "order_no",
    "cop_no",
    "logistics_no",
    "port_code",
    "destination_country",
    "currency",
)


class Item(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    """One line of goods on an order or an inventory list (CEB ``OrderList``/``InventoryList``)."""

    gnum: int
    item_no: str
    item_name: str
    hs_code: str
    qty: Decimal
    unit: str
    price: Decimal
    total_price: Decimal
    origin_country: str
    #: CEB XML elements silkhub does not model (``barCode``, ``gmodel``...), kept for the round trip.
    ceb: dict[str, str] = {}

    def __post_init__(self) -> None:
        if type(self.gnum) is not int or self.gnum < 1:
            raise ValueError(f"Item.gnum must be a positive int, not {self.gnum!r}")
        if not (
            self.item_no and self.item_name and self.hs_code and self.unit and self.origin_country
        ):
            _empty("Item", self, _ITEM_TEXT)
        if not (type(self.qty) is type(self.price) is type(self.total_price) is Decimal):
            _not_decimal("Item", qty=self.qty, price=self.price, total_price=self.total_price)
        if max(self.qty.adjusted(), self.price.adjusted(), self.total_price.adjusted()) >= _BIG:
            _too_large("Item", qty=self.qty, price=self.price, total_price=self.total_price)


class Order(
    msgspec.Struct, frozen=True, omit_defaults=True, gc=False, tag_field="type", tag="order"
):
    """The e-commerce platform's order (CEB303 for exports, CEB311 for imports)."""

    kind: ClassVar[MessageKind] = MessageKind.ORDER

    message_id: str
    direction: Direction
    order_no: str
    mode: CustomsMode
    ebp_code: str
    ebc_code: str
    buyer_id: str
    buyer_name: str
    goods_value: Decimal
    freight: Decimal
    currency: str
    items: tuple[Item, ...]
    ceb: dict[str, str] = {}

    def __post_init__(self) -> None:
        if not (
            self.message_id
            and self.order_no
            and self.ebp_code
            and self.ebc_code
            and self.buyer_id
            and self.buyer_name
            and self.currency
        ):
            _empty("Order", self, _ORDER_TEXT)
        if not (type(self.goods_value) is type(self.freight) is Decimal):
            _not_decimal("Order", goods_value=self.goods_value, freight=self.freight)
        if max(self.goods_value.adjusted(), self.freight.adjusted()) >= _BIG:
            _too_large("Order", goods_value=self.goods_value, freight=self.freight)
        _check_items("Order", self.items)
        if type(self.direction) is not Direction or type(self.mode) is not CustomsMode:
            raise TypeError("Order.direction and Order.mode must be Direction and CustomsMode")


class Payment(
    msgspec.Struct, frozen=True, omit_defaults=True, gc=False, tag_field="type", tag="payment"
):
    """The payment (import, CEB411) or receipt (export, CEB403) of an order."""

    kind: ClassVar[MessageKind] = MessageKind.PAYMENT

    message_id: str
    direction: Direction
    order_no: str
    pay_code: str
    pay_transaction_id: str
    amount: Decimal
    currency: str
    payer_id: str
    ceb: dict[str, str] = {}

    def __post_init__(self) -> None:
        if not (
            self.message_id
            and self.order_no
            and self.pay_code
            and self.pay_transaction_id
            and self.currency
            and self.payer_id
        ):
            _empty("Payment", self, _PAYMENT_TEXT)
        if type(self.amount) is not Decimal:
            _not_decimal("Payment", amount=self.amount)
        if self.amount.adjusted() >= _BIG:
            _too_large("Payment", amount=self.amount)
        if type(self.direction) is not Direction:
            raise TypeError("Payment.direction must be a Direction")


class Waybill(
    msgspec.Struct, frozen=True, omit_defaults=True, gc=False, tag_field="type", tag="waybill"
):
    """The logistics company's waybill for the parcel (CEB505 export / CEB511 import).

    ``measured_kg`` is the weight the terminal's weigh-and-scan measured at induction. The
    consignor/consignee addresses, ``goods_description``, ``transport_mode`` and ``awb_no``
    are optional here but make up the EU's ICS2 pre-loading "7+1" data for air parcels.
    """

    kind: ClassVar[MessageKind] = MessageKind.WAYBILL

    message_id: str
    direction: Direction
    order_no: str
    logistics_code: str
    logistics_no: str
    consignee_name: str
    consignee_country: str
    gross_weight_kg: Decimal
    pieces: int
    measured_kg: Decimal | None = None
    transport_mode: TransportMode | None = None
    consignee_address: str = ""
    consignor_name: str = ""
    consignor_address: str = ""
    goods_description: str = ""
    awb_no: str = ""
    ceb: dict[str, str] = {}

    def __post_init__(self) -> None:
        if not (
            self.message_id
            and self.order_no
            and self.logistics_code
            and self.logistics_no
            and self.consignee_name
            and self.consignee_country
        ):
            _empty("Waybill", self, _WAYBILL_TEXT)
        if type(self.gross_weight_kg) is not Decimal or (
            self.measured_kg is not None and type(self.measured_kg) is not Decimal
        ):
            _not_decimal(
                "Waybill", gross_weight_kg=self.gross_weight_kg, measured_kg=self.measured_kg
            )
        measured = self.measured_kg
        if self.gross_weight_kg.adjusted() >= _BIG or (
            measured is not None and measured.adjusted() >= _BIG
        ):
            _too_large("Waybill", gross_weight_kg=self.gross_weight_kg, measured_kg=measured)
        if type(self.pieces) is not int:
            raise TypeError(f"Waybill.pieces must be an int, not {type(self.pieces).__name__}")
        if self.pieces > MAX_PIECES:
            raise ValueError(f"Waybill.pieces {PIECES_REASON}, not {self.pieces}")
        if type(self.direction) is not Direction:
            raise TypeError("Waybill.direction must be a Direction")


class Inventory(
    msgspec.Struct, frozen=True, omit_defaults=True, gc=False, tag_field="type", tag="inventory"
):
    """The inventory list (清单) customs releases (CEB603 export / CEB621 import).

    ``declared_on`` is the declaration date. In a file (``validate``) it decides the calendar
    year of the annual import limit, defaulting to the file's ``as_of`` day; live clearance
    counts a list in the year (China time) it clears, whatever date the filer wrote.
    """

    kind: ClassVar[MessageKind] = MessageKind.INVENTORY

    message_id: str
    direction: Direction
    order_no: str
    mode: CustomsMode
    cop_no: str
    logistics_no: str
    port_code: str
    destination_country: str
    gross_weight_kg: Decimal
    net_weight_kg: Decimal
    total_value: Decimal
    currency: str
    items: tuple[Item, ...]
    declared_on: date | None = None
    ceb: dict[str, str] = {}

    def __post_init__(self) -> None:
        if not (
            self.message_id
            and self.order_no
            and self.cop_no
            and self.logistics_no
            and self.port_code
            and self.destination_country
            and self.currency
        ):
            _empty("Inventory", self, _INVENTORY_TEXT)
        if not (
            type(self.gross_weight_kg)
            is type(self.net_weight_kg)
            is type(self.total_value)
            is Decimal
        ):
            _not_decimal(
                "Inventory",
                gross_weight_kg=self.gross_weight_kg,
                net_weight_kg=self.net_weight_kg,
                total_value=self.total_value,
            )
        if (
            max(
                self.gross_weight_kg.adjusted(),
                self.net_weight_kg.adjusted(),
                self.total_value.adjusted(),
            )
            >= _BIG
        ):
            _too_large(
                "Inventory",
                gross_weight_kg=self.gross_weight_kg,
                net_weight_kg=self.net_weight_kg,
                total_value=self.total_value,
            )
        _check_items("Inventory", self.items)
        if type(self.direction) is not Direction or type(self.mode) is not CustomsMode:
            raise TypeError(
                "Inventory.direction and Inventory.mode must be Direction and CustomsMode"
            )


#: Any of the four messages.
Message = Order | Payment | Waybill | Inventory
