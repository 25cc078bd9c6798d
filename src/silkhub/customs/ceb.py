"""China customs CEB XML (2022-05 edition) for the four messages: read, write, validate.

The XML is an edge format: inside silkhub messages use international codes; here they are
converted to and from the customs parameter codes (JGS-20) of ``data/customs/ceb_codes.csv``
— ``CN``/``CNY`` ↔ ``142``, ``KGM`` ↔ ``035`` — and a code outside that table is a problem
(``ceb.unknown_code``), never a guess.

Which messages: CEB303/311 (order), CEB403/411 (receipt/payment), CEB505/511 (waybill),
CEB603/621 (inventory list); the direction picks the export or import message.

Round trips. Every CEB element has one of three sources, declared per message below in the
XSD's element order: a silkhub field (converted), the message's ``ceb`` mapping (elements
silkhub does not model: registered names, telephone numbers, ID numbers...), or a documented
default (``acturalPaid`` = goods_value + freight, ``gname`` = item_name, ``unit1`` = unit...).
A required element with none of them is reported (``ceb.missing_field``). What the CEB has
no element for (``message_id``, ``buyer_id`` of an export, an item's HS code on an order...)
travels in the XSD's own extension element, ``ExtendMessage`` (name ``silkhub``), so
``read_ceb(write_ceb(messages))`` gives back equal messages; other systems ignore it. The
envelope (``guid``, ``appType``, ``appTime``, ``appStatus``, ``ieFlag``) is regenerated on
every write: ``guid`` is a UUID derived from the ``message_id``.

Fitting the XSD. Each value is checked, as written, against its element's facets in the
2022-05 XSDs (lengths, digits, type: ``_ceb_facets``); a message with a value that does not
fit is reported (``ceb.bad_value``) and left out, so the document stays valid.

The official XSDs are not shipped (they are GACC's): ``load_ceb_schema`` reads one from
where you keep it, and ``schema_errors`` validates a document with lxml.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Protocol

import msgspec
from lxml import etree

from silkhub.customs._ceb_facets import BASE_TRANSFER, FACETS, MAX_ITEMS, Facet
from silkhub.customs._codes import CebCodeError, ceb_codes
from silkhub.customs.clearance import CHINA_TIME
from silkhub.customs.jsonl import parse_message
from silkhub.customs.messages import (
    Direction,
    Message,
    MessageKind,
    magnitude_reason,
    too_large,
)
from silkhub.customs.problems import Problem

__all__ = [
    "CEB_NAMESPACE",
    "CEB_ROOTS",
    "CebSender",
    "CebSigner",
    "load_ceb_schema",
    "read_ceb",
    "schema_errors",
    "write_ceb",
]

CEB_NAMESPACE = "http://www.chinaport.gov.cn/ceb"
_EXT_NAMESPACE = "urn:silkhub:ceb-extension:1"
_C = f"{{{CEB_NAMESPACE}}}"
_X = f"{{{_EXT_NAMESPACE}}}"
_GUID_NAMESPACE = uuid.UUID("6f1f3c3e-2f7a-5d8c-9a51-7c3b1e0a9d42")
#: At most this many records in one CEB document (the XSDs' maxOccurs).
MAX_RECORDS = 100


@dataclass(frozen=True, slots=True)
class CebSender:
    """The company transmitting the document (``BaseTransfer``), as registered with the port."""

    cop_code: str
    cop_name: str
    dxp_id: str
    dxp_mode: str = "DXP"

    def __post_init__(self) -> None:
        if not self.cop_code or not self.cop_name or not self.dxp_id:
            raise ValueError("CebSender needs cop_code, cop_name and dxp_id")
        for attribute, element in (
            ("cop_code", "copCode"),
            ("cop_name", "copName"),
            ("dxp_mode", "dxpMode"),
            ("dxp_id", "dxpId"),
        ):  # every document of the batch would fail the XSD: a setup error, raised
            misfit = BASE_TRANSFER[element].misfit(element, getattr(self, attribute))
            if misfit is not None:
                raise ValueError(f"CebSender.{attribute}: {misfit}")


# -- the element tables ---------------------------------------------------------------------

Ctx = Mapping[str, Any]  # the JSON form of the message (and, for items, "_head": the head's)


@dataclass(frozen=True, slots=True)
class _El:
    """One CEB element: where its value comes from and how it converts."""

    name: str
    field: str | None = None
    conv: str = "text"  # text | decimal | int | date8 | hs10 | code:<table>
    required: bool = True
    default: Callable[[Ctx], str | None] | None = None
    envelope: bool = False


def _ceb(name: str, required: bool = True) -> _El:
    return _El(name, required=required)


def _opt(name: str) -> _El:
    return _El(name, required=False)


def _const(value: str) -> Callable[[Ctx], str]:
    return lambda ctx: value


def _head_code(table: str, key: str) -> Callable[[Ctx], str | None]:
    def default(ctx: Ctx) -> str | None:
        head = ctx.get("_head", ctx)
        try:
            return ceb_codes().to_customs(table, str(head[key]))
        except (CebCodeError, KeyError):
            return None

    return default


def _code_of(table: str, key: str) -> Callable[[Ctx], str | None]:
    def default(ctx: Ctx) -> str | None:
        try:
            return ceb_codes().to_customs(table, str(ctx[key]))
        except (CebCodeError, KeyError):
            return None

    return default


def _same(key: str, conv: str = "text") -> Callable[[Ctx], str | None]:
    def default(ctx: Ctx) -> str | None:
        value = ctx.get(key)
        if value is None:
            return None
        return _to_xml(conv, value) if conv != "text" else str(value)

    return default


def _sum(*keys: str) -> Callable[[Ctx], str | None]:
    def default(ctx: Ctx) -> str | None:
        try:
            return _decimal_text(sum((Decimal(str(ctx[k])) for k in keys), Decimal(0)))
        except (KeyError, InvalidOperation):
            return None

    return default


_ENVELOPE = (
    _El("guid", envelope=True),
    _El("appType", envelope=True),
    _El("appTime", envelope=True),
    _El("appStatus", envelope=True),
)

_ORDER_EXPORT_HEAD = (
    *_ENVELOPE,
    _El("orderType", envelope=True),
    _El("orderNo", "order_no"),
    _El("ebpCode", "ebp_code"),
    _ceb("ebpName"),
    _El("ebcCode", "ebc_code"),
    _ceb("ebcName"),
    _El("goodsValue", "goods_value", "decimal"),
    _El("freight", "freight", "decimal"),
    _El("currency", "currency", "code:currency"),
    _opt("note"),
)
_ORDER_EXPORT_ITEM = (
    _El("gnum", "gnum", "int"),
    _El("itemNo", "item_no"),
    _El("itemName", "item_name"),
    _opt("itemDescribe"),
    _opt("barCode"),
    _El("unit", "unit", "code:unit"),
    _El("currency", default=_head_code("currency", "currency")),
    _El("qty", "qty", "decimal"),
    _El("price", "price", "decimal"),
    _El("totalPrice", "total_price", "decimal"),
    _opt("note"),
)
_ORDER_IMPORT_HEAD = (
    *_ENVELOPE,
    _El("orderType", envelope=True),
    _El("orderNo", "order_no"),
    _El("ebpCode", "ebp_code"),
    _ceb("ebpName"),
    _El("ebcCode", "ebc_code"),
    _ceb("ebcName"),
    _El("goodsValue", "goods_value", "decimal"),
    _El("freight", "freight", "decimal"),
    _El("discount", default=_const("0")),
    _El("taxTotal", default=_const("0")),
    _El("acturalPaid", default=_sum("goods_value", "freight")),
    _El("currency", "currency", "code:currency"),
    _El("buyerRegNo", "buyer_id"),
    _El("buyerName", "buyer_name"),
    _ceb("buyerTelephone"),
    _El("buyerIdType", default=_const("1")),
    _ceb("buyerIdNumber"),
    _opt("payCode"),
    _opt("payName"),
    _opt("payTransactionId"),
    _opt("batchNumbers"),
    _El("consignee", default=_same("buyer_name")),
    _ceb("consigneeTelephone"),
    _ceb("consigneeAddress"),
    _opt("consigneeDistrict"),
    _opt("note"),
)
_ORDER_IMPORT_ITEM = (
    _El("gnum", "gnum", "int"),
    _El("itemNo", "item_no"),
    _El("itemName", "item_name"),
    _El("gmodel", default=_same("item_name")),
    _opt("itemDescribe"),
    _opt("barCode"),
    _El("unit", "unit", "code:unit"),
    _El("qty", "qty", "decimal"),
    _El("price", "price", "decimal"),
    _El("totalPrice", "total_price", "decimal"),
    _El("currency", default=_head_code("currency", "currency")),
    _El("country", "origin_country", "code:country"),
    _opt("note"),
)
_RECEIPT_EXPORT = (
    *_ENVELOPE,
    _ceb("ebpCode"),
    _ceb("ebpName"),
    _ceb("ebcCode"),
    _ceb("ebcName"),
    _El("orderNo", "order_no"),
    _El("payCode", "pay_code"),
    _ceb("payName"),
    _El("payNo", "pay_transaction_id"),
    _El("charge", "amount", "decimal"),
    _El("currency", "currency", "code:currency"),
    _ceb("accountingDate"),
    _opt("note"),
)
_PAYMENT_IMPORT = (
    *_ENVELOPE,
    _El("payCode", "pay_code"),
    _ceb("payName"),
    _El("payTransactionId", "pay_transaction_id"),
    _El("orderNo", "order_no"),
    _ceb("ebpCode"),
    _ceb("ebpName"),
    _El("payerIdType", default=_const("1")),
    _El("payerIdNumber", "payer_id"),
    _ceb("payerName"),
    _opt("telephone"),
    _El("amountPaid", "amount", "decimal"),
    _El("currency", "currency", "code:currency"),
    _ceb("payTime"),
    _opt("note"),
)
_WAYBILL_EXPORT = (
    *_ENVELOPE,
    _El("logisticsCode", "logistics_code"),
    _ceb("logisticsName"),
    _El("logisticsNo", "logistics_no"),
    _El("freight", default=_const("0")),
    _El("insuredFee", default=_const("0")),
    _El("currency", default=_const("142")),
    _El("grossWeight", "gross_weight_kg", "decimal"),
    _El("packNo", "pieces", "int"),
    _El("goodsInfo", "goods_description"),
    _opt("ebcCode"),
    _opt("ebcName"),
    _opt("ebcTelephone"),
    _opt("note"),
)
_WAYBILL_IMPORT = (
    *_ENVELOPE,
    _El("logisticsCode", "logistics_code"),
    _ceb("logisticsName"),
    _El("logisticsNo", "logistics_no"),
    _opt("billNo"),
    _El("orderNo", "order_no"),
    _opt("freight"),
    _opt("insuredFee"),
    _El("currency", default=_const("142")),
    _El("weight", "gross_weight_kg", "decimal"),
    _El("packNo", "pieces", "int"),
    _El("goodsInfo", "goods_description", required=False),
    _El("consignee", "consignee_name"),
    _El("consigneeAddress", "consignee_address"),
    _ceb("consigneeTelephone"),
    _opt("note"),
)
_INVENTORY_EXPORT_HEAD = (
    *_ENVELOPE,
    _El("customsCode", default=_same("port_code")),
    _ceb("ebpCode"),
    _ceb("ebpName"),
    _El("orderNo", "order_no"),
    _ceb("logisticsCode"),
    _ceb("logisticsName"),
    _El("logisticsNo", "logistics_no"),
    _El("copNo", "cop_no"),
    _opt("preNo"),
    _opt("invtNo"),
    _El("ieFlag", envelope=True),
    _El("portCode", "port_code"),
    _El("ieDate", "declared_on", "date8"),
    _El("statisticsFlag", default=_const("A")),
    _ceb("agentCode"),
    _ceb("agentName"),
    _ceb("ebcCode"),
    _ceb("ebcName"),
    _ceb("ownerCode"),
    _ceb("ownerName"),
    _opt("iacCode"),
    _opt("iacName"),
    _opt("emsNo"),
    _El("tradeMode", "mode"),
    _ceb("trafMode"),
    _opt("trafName"),
    _opt("voyageNo"),
    _opt("billNo"),
    _opt("totalPackageNo"),
    _opt("loctNo"),
    _opt("licenseNo"),
    _El("country", "destination_country", "code:country"),
    _ceb("POD"),
    _El("freight", default=_const("0")),
    _El("fCurrency", default=_head_code("currency", "currency")),
    _El("fFlag", default=_const("3")),
    _El("insuredFee", default=_const("0")),
    _El("iCurrency", default=_head_code("currency", "currency")),
    _El("iFlag", default=_const("3")),
    _ceb("wrapType"),
    _El("packNo", default=_const("1")),
    _El("grossWeight", "gross_weight_kg", "decimal"),
    _El("netWeight", "net_weight_kg", "decimal"),
    _opt("note"),
)
_INVENTORY_EXPORT_ITEM = (
    _El("gnum", "gnum", "int"),
    _El("itemNo", "item_no"),
    _opt("itemRecordNo"),
    _El("itemName", "item_name", required=False),
    _El("gcode", "hs_code", "hs10"),
    _El("gname", default=_same("item_name")),
    _El("gmodel", default=_same("item_name")),
    _El("barCode", default=_const("无")),
    _El("country", default=_head_code("country", "destination_country")),
    _El("currency", default=_head_code("currency", "currency")),
    _El("qty", "qty", "decimal"),
    _El("qty1", default=_same("qty", "decimal")),
    _opt("qty2"),
    _El("unit", "unit", "code:unit"),
    _El("unit1", default=_code_of("unit", "unit")),
    _opt("unit2"),
    _El("price", "price", "decimal"),
    _El("totalPrice", "total_price", "decimal"),
    _opt("note"),
)
_INVENTORY_IMPORT_HEAD = (
    *_ENVELOPE,
    _El("orderNo", "order_no"),
    _ceb("ebpCode"),
    _ceb("ebpName"),
    _ceb("ebcCode"),
    _ceb("ebcName"),
    _El("logisticsNo", "logistics_no"),
    _ceb("logisticsCode"),
    _ceb("logisticsName"),
    _El("copNo", "cop_no"),
    _opt("preNo"),
    _ceb("assureCode"),
    _opt("emsNo"),
    _opt("invtNo"),
    _El("ieFlag", envelope=True),
    _El("declTime", "declared_on", "date8"),
    _El("customsCode", default=_same("port_code")),
    _El("portCode", "port_code"),
    _opt("ieDate"),
    _El("buyerIdType", default=_const("1")),
    _ceb("buyerIdNumber"),
    _ceb("buyerName"),
    _ceb("buyerTelephone"),
    _ceb("consigneeAddress"),
    _ceb("agentCode"),
    _ceb("agentName"),
    _opt("areaCode"),
    _opt("areaName"),
    _El("tradeMode", "mode"),
    _ceb("trafMode"),
    _opt("trafNo"),
    _opt("voyageNo"),
    _opt("billNo"),
    _opt("loctNo"),
    _opt("licenseNo"),
    _ceb("country"),
    _El("freight", default=_const("0")),
    _El("insuredFee", default=_const("0")),
    _El("currency", "currency", "code:currency"),
    _opt("wrapType"),
    _El("packNo", default=_const("1")),
    _El("grossWeight", "gross_weight_kg", "decimal"),
    _El("netWeight", "net_weight_kg", "decimal"),
    _opt("note"),
)
_INVENTORY_IMPORT_ITEM = (
    _El("gnum", "gnum", "int"),
    _opt("itemRecordNo"),
    _El("itemNo", "item_no"),
    _El("itemName", "item_name"),
    _El("gcode", "hs_code", "hs10"),
    _El("gname", default=_same("item_name")),
    _El("gmodel", default=_same("item_name")),
    _opt("barCode"),
    _El("country", "origin_country", "code:country"),
    _opt("tradeCountry"),
    _El("currency", default=_head_code("currency", "currency")),
    _El("qty", "qty", "decimal"),
    _El("unit", "unit", "code:unit"),
    _El("qty1", default=_same("qty", "decimal")),
    _El("unit1", default=_code_of("unit", "unit")),
    _opt("qty2"),
    _opt("unit2"),
    _El("price", "price", "decimal"),
    _El("totalPrice", "total_price", "decimal"),
    _opt("note"),
)


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where a message kind sits in its CEB document."""

    root: str
    record: str
    head: str | None
    head_elements: tuple[_El, ...]
    item: str | None = None
    item_elements: tuple[_El, ...] = ()


#: The CEB message of each (kind, direction).
CEB_ROOTS: dict[tuple[MessageKind, Direction], _Layout] = {
    (MessageKind.ORDER, Direction.EXPORT): _Layout(
        "CEB303Message", "Order", "OrderHead", _ORDER_EXPORT_HEAD, "OrderList", _ORDER_EXPORT_ITEM
    ),
    (MessageKind.ORDER, Direction.IMPORT): _Layout(
        "CEB311Message", "Order", "OrderHead", _ORDER_IMPORT_HEAD, "OrderList", _ORDER_IMPORT_ITEM
    ),
    (MessageKind.PAYMENT, Direction.EXPORT): _Layout(
        "CEB403Message", "Receipts", None, _RECEIPT_EXPORT
    ),
    (MessageKind.PAYMENT, Direction.IMPORT): _Layout(
        "CEB411Message", "Payment", "PaymentHead", _PAYMENT_IMPORT
    ),
    (MessageKind.WAYBILL, Direction.EXPORT): _Layout(
        "CEB505Message", "Logistics", None, _WAYBILL_EXPORT
    ),
    (MessageKind.WAYBILL, Direction.IMPORT): _Layout(
        "CEB511Message", "Logistics", "LogisticsHead", _WAYBILL_IMPORT
    ),
    (MessageKind.INVENTORY, Direction.EXPORT): _Layout(
        "CEB603Message",
        "Inventory",
        "InventoryHead",
        _INVENTORY_EXPORT_HEAD,
        "InventoryList",
        _INVENTORY_EXPORT_ITEM,
    ),
    (MessageKind.INVENTORY, Direction.IMPORT): _Layout(
        "CEB621Message",
        "Inventory",
        "InventoryHead",
        _INVENTORY_IMPORT_HEAD,
        "InventoryList",
        _INVENTORY_IMPORT_ITEM,
    ),
}
_BY_ROOT = {layout.root: key for key, layout in CEB_ROOTS.items()}


# -- conversions ----------------------------------------------------------------------------


def _decimal_text(value: Decimal) -> str:
    return format(value, "f")


#: Decimals a CEB number may be read with: 5 is CEB's own most; more are refused as they come.
_MOST_DECIMALS = 5


def _to_xml(conv: str, value: Any) -> str:
    """A JSON-form value as CEB text (raises CebCodeError or ValueError)."""
    if conv == "decimal":
        number = Decimal(str(value))
        if not number.is_finite():
            raise ValueError(f"{value} is not a finite number")
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -5:
            raise ValueError(f"{value} has more than the 5 decimals CEB allows")
        return _decimal_text(number)
    if conv == "int":
        return str(int(value))
    if conv == "date8":
        return _ceb_date(date.fromisoformat(str(value)), "%Y%m%d")
    if conv == "hs10":
        code = str(value)
        return code + "0" * (10 - len(code))
    if conv.startswith("code:"):
        return ceb_codes().to_customs(conv[5:], str(value))
    return str(value)


def _from_xml(conv: str, text: str) -> Any:
    """CEB text as a JSON-form value (raises CebCodeError or ValueError)."""
    if conv == "decimal":
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(f"{text[:40]!r} is not a number") from exc
        if number.is_finite() and too_large(number):  # 1e999999999 in full is a gigabyte
            raise ValueError(magnitude_reason(text[:40]))
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -_MOST_DECIMALS:  # so is 1e-999999999
            raise ValueError(f"{text[:40]!r} has more than {_MOST_DECIMALS} decimals")
        return _decimal_text(number)
    if conv == "int":
        return int(text)
    if conv == "date8":
        return datetime.strptime(text, "%Y%m%d").date().isoformat()
    if conv.startswith("code:"):
        return ceb_codes().from_customs(conv[5:], text)
    return text


def _ceb_date(moment: date, layout: str) -> str:
    """``moment`` as CEB date text (``YYYYMMDD``, ``YYYYMMDDhhmmss``); raises ValueError.

    The XSD's date elements are strings of exactly 8 (or 14) characters: a year before 1000
    has no four digits (``strftime`` writes year 999 as ``999``, one character short).
    """
    if moment.year < 1000:
        raise ValueError(
            f"{moment.isoformat()} is before the year 1000: CEB dates have a four-digit year"
        )
    return moment.strftime(layout)


def _guid(message_id: str) -> str:
    return str(uuid.uuid5(_GUID_NAMESPACE, message_id)).upper()


#: ``appTime``'s layout: YYYYMMDDhhmmss.
_APP_TIME = "%Y%m%d%H%M%S"


def _envelope(name: str, message: Message, app_time: datetime) -> str:
    if name == "guid":
        return _guid(message.message_id)
    if name == "appType":
        return "1"
    if name == "appTime":
        return _ceb_date(app_time, _APP_TIME)
    if name == "appStatus":
        return "2"
    if name == "ieFlag":
        return "E" if message.direction is Direction.EXPORT else "I"
    # orderType
    if message.direction is Direction.IMPORT:
        return "I"
    return "B" if getattr(message, "mode", "") == "9710" else "E"


# -- writing --------------------------------------------------------------------------------

_DS = "http://www.w3.org/2000/09/xmldsig#"
#: CEB messages whose XSD requires a ds:Signature (of the four kinds, the import list).
_SIGNED_ROOTS = frozenset({"CEB621Message"})


class CebSigner(Protocol):
    """Signs a CEB document (the port's signing client: an SM2 key on a card or a server)."""

    def sign(self, document: bytes) -> bytes:
        """The document with its ds:Signature filled in."""
        ...


def _signature_template() -> etree._Element:
    """An enveloped ds:Signature with the algorithms of GACC's samples and empty values."""
    ds = f"{{{_DS}}}"
    signature = etree.Element(ds + "Signature", nsmap={"ds": _DS})
    info = etree.SubElement(signature, ds + "SignedInfo")
    etree.SubElement(
        info,
        ds + "CanonicalizationMethod",
        Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
    )
    etree.SubElement(
        info,
        ds + "SignatureMethod",
        Algorithm="http://www.chinaport.gov.cn/2022/04/xmldsig#sm2-sm3",
    )
    reference = etree.SubElement(info, ds + "Reference", URI="")
    transforms = etree.SubElement(reference, ds + "Transforms")
    etree.SubElement(
        transforms,
        ds + "Transform",
        Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature",
    )
    etree.SubElement(
        reference, ds + "DigestMethod", Algorithm="http://www.chinaport.gov.cn/2022/04/xmldsig#sm3"
    )
    etree.SubElement(reference, ds + "DigestValue").text = ""
    etree.SubElement(signature, ds + "SignatureValue").text = ""
    return signature


def _fill(
    parent: etree._Element,
    elements: tuple[_El, ...],
    facets: Mapping[str, Facet],
    ctx: dict[str, Any],
    ceb: Mapping[str, str],
    message: Message,
    app_time: datetime,
    where: str,
    problems: list[Problem],
    extension: dict[str, Any],
) -> None:
    """Write ``elements`` under ``parent``; what cannot be written goes to ``problems``.

    Each value is checked, as it would be written, against its element's XSD ``facets``: a
    value that does not fit is a ``ceb.bad_value`` naming where it came from (the field, or
    ``ceb.<element>`` for an entry of ``ceb`` or a default), so that no invalid document is
    written and the caller leaves the message out.
    """
    written: set[str] = set()
    for el in elements:
        text: str | None = None
        source = where + f"ceb.{el.name}"  # the message's ceb entry or the default
        defaulted = False
        if el.envelope:
            text = _envelope(el.name, message, app_time)
        elif el.field is not None and ctx.get(el.field) not in (None, ""):
            source = where + el.field
            try:
                text = _to_xml(el.conv, ctx[el.field])
            except CebCodeError as exc:
                problems.append(Problem("ceb.unknown_code", source, str(exc)))
                continue
            except ValueError as exc:
                problems.append(_bad_value(source, f"{exc} (CEB element {el.name})"))
                continue
            try:  # as the reader will take it back: stripped of surrounding white space
                if _from_xml(el.conv, text.strip()) == _json_value(ctx[el.field]):
                    written.add(el.field)
            except (CebCodeError, ValueError):
                pass
        elif el.name in ceb:
            text = ceb[el.name]
        elif el.default is not None:
            defaulted = True
            try:
                text = el.default(ctx)
            except ValueError as exc:  # e.g. qty1 from a qty CEB cannot carry: this message only
                problems.append(_bad_value(source, f"{exc} (CEB element {el.name}, its default)"))
                continue
        if text is None or (text == "" and el.required):
            cascade = el.default is not None and any(p.code == "ceb.unknown_code" for p in problems)
            if el.required and not cascade:
                given = f"field {el.field}" if el.field else f"ceb.{el.name}"
                problems.append(
                    Problem(
                        "ceb.missing_field",
                        where + (el.field or f"ceb.{el.name}"),
                        f"CEB element {el.name} is required: give {given}",
                    )
                )
            continue
        if text == "":  # an empty optional element: left out (the extension keeps the entry)
            continue
        misfit = facets[el.name].misfit(el.name, text)
        if misfit is not None:
            hint = f" (its default; give ceb.{el.name})" if defaulted else ""
            problems.append(_bad_value(source, misfit + hint))
            continue
        try:
            etree.SubElement(parent, _C + el.name).text = text
        except ValueError:  # lxml refuses control characters: XML 1.0 cannot carry them
            reason = f"holds characters XML cannot carry (CEB element {el.name})"
            problems.append(_bad_value(source, reason))
    for key, value in ctx.items():
        if key not in written and key not in {"ceb", "items", "_head", "type"}:
            extension[key] = value
    lost = _ceb_not_read_back(elements, ctx)
    if lost:
        extension["ceb"] = lost


def _bad_value(field: str, reason: str) -> Problem:
    """A value of ``field`` that CEB cannot carry; the message starts with the field's name."""
    return Problem("ceb.bad_value", field, f"{field}: {reason}")


def _ceb_not_read_back(elements: tuple[_El, ...], ctx: dict[str, Any]) -> dict[str, str]:
    """The entries of a message's own ``ceb`` that reading the document would not give back.

    Names that are no CEB element of the record, values with surrounding white space (the
    reader strips it), values equal to the element's default and empty optional ones (the
    reader drops them): they travel in silkhub's extension, so that the round trip is exact.
    """
    own: Mapping[str, str] = ctx.get("ceb") or {}
    by_name = {el.name: el for el in elements}
    lost: dict[str, str] = {}
    for name, value in own.items():
        el = by_name.get(name)
        if (
            el is None
            or el.envelope
            or el.field is not None
            or value != value.strip()
            or (el.default is not None and _is_default(el, ctx, value))
            or (not el.required and value == "")
        ):
            lost[name] = value
    return lost


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _decimal_text(value)
    return value


def write_ceb(
    messages: Sequence[Message],
    *,
    sender: CebSender,
    app_time: datetime,
    defaults: Mapping[str, str] | None = None,
    signer: CebSigner | None = None,
) -> tuple[bytes | None, list[tuple[int, Problem]]]:
    """One CEB document holding ``messages`` (one kind and direction, at most 100).

    Returns the document (None if no message could be written) and, for each message that
    could not, its index with the problems; the document holds the others. ``app_time`` is
    the declaration time written as ``appTime`` (China time, as the port expects).
    ``defaults`` gives values for unmodelled elements that a message's ``ceb`` lacks — the
    same for a whole batch, such as the broker's ``agentCode``/``agentName`` or the
    platform's ``ebpName``; reading the document back puts them in each message's ``ceb``.

    CEB621 must carry an XML signature (SM2/SM3 with the company's port key, which only
    the port's signing client holds): silkhub writes an enveloped-signature *template*
    (empty digest and value, as in GACC's samples) and hands the document to ``signer``
    when one is given.
    """
    if not messages:
        raise ValueError("write_ceb needs at least one message")
    if len(messages) > MAX_RECORDS:
        raise ValueError(f"a CEB document holds at most {MAX_RECORDS} records")
    key = (messages[0].kind, messages[0].direction)
    if any((m.kind, m.direction) != key for m in messages):
        raise ValueError("a CEB document holds messages of one kind and one direction")
    if app_time.tzinfo is None:
        raise ValueError("app_time must be timezone-aware")
    local = app_time.astimezone(CHINA_TIME)
    if local.year < 1000:  # appTime is YYYYMMDDhhmmss, and one app_time serves the batch
        raise ValueError("app_time must be in a year of four digits (appTime: YYYYMMDDhhmmss)")
    layout = CEB_ROOTS[key]
    root = etree.Element(
        _C + layout.root,
        nsmap={"ceb": CEB_NAMESPACE},
        guid=_guid("|".join(m.message_id for m in messages)),
        version="1.0",
    )
    problems: list[tuple[int, Problem]] = []
    extensions: list[tuple[int, str]] = []
    probe = etree.Element("probe")
    for index, message in enumerate(messages):
        record, found, extension = _write_record(layout, message, local, defaults or {})
        text = msgspec.json.encode(extension).decode()
        try:  # JSON escapes control characters, not U+FFFE or U+FFFF, which XML cannot carry
            probe.text = text
        except ValueError:
            found = [
                *found,
                Problem(
                    "ceb.bad_value",
                    "",
                    "a field carried in the ExtendMessage holds characters XML cannot carry",
                ),
            ]
        if found:
            problems.extend((index, p) for p in found)
            continue
        root.append(record)
        extensions.append((len(extensions), text))
    if not extensions:
        return None, problems
    transfer = etree.SubElement(root, _C + "BaseTransfer")
    for name, value in (
        ("copCode", sender.cop_code),
        ("copName", sender.cop_name),
        ("dxpMode", sender.dxp_mode),
        ("dxpId", sender.dxp_id),
    ):
        etree.SubElement(transfer, _C + name).text = value
    extend = etree.SubElement(root, _C + "ExtendMessage")
    if layout.root in _SIGNED_ROOTS:
        root.append(_signature_template())
    etree.SubElement(extend, _C + "name").text = "silkhub"
    etree.SubElement(extend, _C + "version").text = "1"
    holder = etree.SubElement(extend, _C + "Message")
    records = etree.SubElement(holder, _X + "records", nsmap={"sh": _EXT_NAMESPACE})
    for position, text in extensions:
        entry = etree.SubElement(records, _X + "record", index=str(position))
        entry.text = text
    document = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return (signer.sign(document) if signer is not None else document), problems


def _write_record(
    layout: _Layout, message: Message, app_time: datetime, defaults: Mapping[str, str]
) -> tuple[etree._Element, list[Problem], dict[str, Any]]:
    ctx: dict[str, Any] = msgspec.to_builtins(message, builtin_types=(Decimal,))
    ctx.pop("type", None)
    ceb = {**defaults, **(ctx.get("ceb") or {})}
    problems: list[Problem] = []
    extension: dict[str, Any] = {}
    record = etree.Element(_C + layout.record)
    head = etree.SubElement(record, _C + layout.head) if layout.head else record
    facets = FACETS[f"{layout.root}/{layout.head or layout.record}"]
    _fill(head, layout.head_elements, facets, ctx, ceb, message, app_time, "", problems, extension)
    if layout.item is not None:
        items = ctx.get("items", ())
        most = MAX_ITEMS[layout.root]
        if len(items) > most:
            reason = f"{len(items)} items, a CEB {layout.record} holds at most {most}"
            problems.append(_bad_value("items", reason))
        item_facets = FACETS[f"{layout.root}/{layout.item}"]
        item_extensions: list[dict[str, Any]] = []
        for index, item in enumerate(items):
            item_ctx = {**item, "_head": ctx}
            element = etree.SubElement(record, _C + layout.item)
            item_extension: dict[str, Any] = {}
            _fill(
                element,
                layout.item_elements,
                item_facets,
                item_ctx,
                item.get("ceb") or {},
                message,
                app_time,
                f"items[{index}].",
                problems,
                item_extension,
            )
            item_extensions.append(item_extension)
        if any(item_extensions):
            extension["items"] = item_extensions
    return record, problems, extension


# -- reading --------------------------------------------------------------------------------


def read_ceb(document: bytes) -> tuple[list[Message], list[tuple[int, Problem]]]:
    """The messages of a CEB document, and (record index, problem) for records that fail.

    The silkhub extension, when present, restores the fields CEB has no element for; without
    it (a document from another system) fields such as an export order's ``buyer_id`` are
    missing and reported as ``schema.missing_field`` — CEB simply does not carry them.
    """
    try:
        root = etree.fromstring(
            document, parser=etree.XMLParser(resolve_entities=False, no_network=True)
        )
    except etree.XMLSyntaxError as exc:
        return [], [(0, Problem("ceb.invalid_xml", "", f"not well-formed XML: {exc}"))]
    name = etree.QName(root).localname
    if etree.QName(root).namespace != CEB_NAMESPACE or name not in _BY_ROOT:
        known = ", ".join(sorted(_BY_ROOT))
        return [], [(0, Problem("ceb.unknown_message", "", f"{name} is not one of {known}"))]
    kind, direction = _BY_ROOT[name]
    layout = CEB_ROOTS[(kind, direction)]
    extensions = _extensions(root)
    messages: list[Message] = []
    problems: list[tuple[int, Problem]] = []
    for index, record in enumerate(root.findall(_C + layout.record)):
        message, found = _read_record(layout, record, kind, direction, extensions.get(index, {}))
        if message is None:
            problems.extend((index, p) for p in found)
        else:
            messages.append(message)
    return messages, problems


def _extensions(root: etree._Element) -> dict[int, dict[str, Any]]:
    result: dict[int, dict[str, Any]] = {}
    for extend in root.findall(_C + "ExtendMessage"):
        if extend.findtext(_C + "name") != "silkhub":
            continue
        for entry in extend.iter(_X + "record"):
            try:
                decoded = msgspec.json.decode(entry.text or "{}")
                index = int(entry.get("index", "-1"))
            except (ValueError, msgspec.DecodeError):
                continue
            if _extension_shape_ok(decoded):
                result[index] = decoded
    return result


def _read_elements(
    parent: etree._Element, elements: tuple[_El, ...], where: str, problems: list[Problem]
) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {}
    extra: dict[str, str] = {}
    texts = {
        etree.QName(child).localname: (child.text or "")
        for child in parent
        if isinstance(child.tag, str)
    }
    for el in elements:
        if el.name not in texts or el.envelope:
            continue
        text = texts[el.name].strip()
        if el.field is not None:
            try:
                values[el.field] = _from_xml(el.conv, text)
            except CebCodeError as exc:
                problems.append(Problem("ceb.unknown_code", where + el.field, str(exc)))
            except ValueError as exc:
                problems.append(Problem("schema.bad_value", where + el.field, f"{el.name}: {exc}"))
        else:
            extra[el.name] = text
    return values, extra


def _read_record(
    layout: _Layout,
    record: etree._Element,
    kind: MessageKind,
    direction: Direction,
    extension: dict[str, Any],
) -> tuple[Message | None, list[Problem]]:
    problems: list[Problem] = []
    head = record.find(_C + layout.head) if layout.head else record
    if head is None:
        return None, [Problem("ceb.missing_field", "", f"{layout.record} has no {layout.head}")]
    values, extra = _read_elements(head, layout.head_elements, "", problems)
    ctx: dict[str, Any] = {"type": kind.value, "direction": direction.value, **values}
    items: list[dict[str, Any]] = []
    if layout.item is not None:
        item_extensions = extension.get("items") or []
        for index, element in enumerate(record.findall(_C + layout.item)):
            item_values, item_extra = _read_elements(
                element, layout.item_elements, f"items[{index}].", problems
            )
            item = {
                **item_values,
                **(item_extensions[index] if index < len(item_extensions) else {}),
            }
            item_ctx = {**item, "_head": {**ctx, **extension}}
            item_ceb = {
                **_keep_non_default(layout.item_elements, item_extra, item_ctx),
                **(item.get("ceb") or {}),  # what the extension kept
            }
            if item_ceb:
                item["ceb"] = item_ceb
            items.append(item)
        ctx["items"] = items
    ctx.update({k: v for k, v in extension.items() if k != "items"})
    if "message_id" not in ctx:
        guid = head.findtext(_C + "guid")
        if guid:
            ctx["message_id"] = guid
    if kind in (MessageKind.ORDER, MessageKind.INVENTORY) and "mode" not in ctx:
        order_type = head.findtext(_C + "orderType")
        ctx["mode"] = "9710" if order_type == "B" else "9610"
    ceb = {**_keep_non_default(layout.head_elements, extra, ctx), **(ctx.get("ceb") or {})}
    if ceb:
        ctx["ceb"] = ceb
    if problems:
        return None, problems
    message, found = parse_message(msgspec.json.encode(ctx))
    return message, found


def _keep_non_default(elements: tuple[_El, ...], extra: dict[str, str], ctx: Ctx) -> dict[str, str]:
    """The unmodelled elements worth keeping: those that differ from their default."""
    kept: dict[str, str] = {}
    by_name = {el.name: el for el in elements}
    for name, text in extra.items():
        el = by_name[name]
        if el.default is not None and _is_default(el, ctx, text):
            continue
        if not el.required and text == "":
            continue
        kept[name] = text
    return kept


def _default_or_none(el: _El, ctx: Ctx) -> str | None:
    """``el``'s default for ``ctx``, or ``None`` when the value it copies cannot be CEB text."""
    assert el.default is not None
    try:
        return el.default(ctx)
    except ValueError:
        return None


def _is_default(el: _El, ctx: Ctx, text: str) -> bool:
    """Whether ``text`` is what ``el``'s default writes, as the reader takes it (stripped).

    A default copies a field as it is (``consignee`` = ``buyer_name``), surrounding white
    space and all, and the reader strips element text: so a padded name read back is still
    its default, and an explicit ``ceb`` entry equal to the stripped default travels in the
    extension, or the reader would drop it.
    """
    default = _default_or_none(el, ctx)
    return default is not None and text in (default, default.strip())


def _extension_shape_ok(value: object) -> bool:
    """Whether a decoded extension record has the shape the writer gives it.

    An object of fields, whose ``ceb`` is an object and whose ``items`` a list of objects
    (each with an object ``ceb`` if any); another shape is left out, like text that is no JSON.
    """
    if not isinstance(value, dict):
        return False
    items = value.get("items", [])
    return (
        isinstance(value.get("ceb", {}), dict)
        and isinstance(items, list)
        and all(isinstance(i, dict) and isinstance(i.get("ceb", {}), dict) for i in items)
    )


# -- validation -----------------------------------------------------------------------------


def load_ceb_schema(xsd: Path | str) -> etree.XMLSchema:
    """An official CEB XSD (export or import, 2022-05), with its imports resolved beside it."""
    return etree.XMLSchema(etree.parse(str(xsd)))


def schema_errors(schema: etree.XMLSchema, document: bytes) -> list[str]:
    """Every XSD violation of a document, as ``line N: message`` (empty when valid)."""
    tree = etree.fromstring(document)
    if schema.validate(tree):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
