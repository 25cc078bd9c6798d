"""What the CEB 2022-05 XSDs let each element silkhub writes hold: lengths, digits, type.

Source: GACC's schemas of the 全国海关跨境电子商务进出口统一版信息化系统 (2022-05),
``import-202205.xsd`` (CEB311, CEB411, CEB511, CEB621) and ``export-202205.xsd`` (CEB303,
CEB403, CEB505, CEB603): for every element of the tables in ``ceb.py``, its base type and its
``length`` / ``minLength`` / ``maxLength`` / ``whiteSpace`` / ``totalDigits`` /
``fractionDigits`` facets and ``fixed`` values (the XSDs have no ``pattern`` or
``enumeration``), and the ``maxOccurs`` of the item lists. They are carried over as data
because the XSDs are GACC's: they are neither shipped nor read at run time, yet
``write_ceb`` must refuse what they would refuse. ``tests/customs/test_ceb_facets.py``
compares these tables with the XSDs themselves.

The two editions differ in places that matter: an export ``logisticsNo`` holds 32
characters, an import one 60; an inventory ``itemNo`` 20, an order's 30; an export ``gmodel``
250 (white space collapsed), an import one 510.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["BASE_TRANSFER", "FACETS", "MAX_ITEMS", "Facet"]

#: The XSD's lexical forms of xs:decimal and xs:int, once white space is collapsed.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_INTEGER = re.compile(r"[+-]?[0-9]+")
#: xs:int is a 32-bit signed integer.
_INT_RANGE = range(-(2**31), 2**31)
#: XML white space, which whiteSpace="collapse" turns into single spaces and strips.
_XML_SPACE = re.compile(r"[ \t\n\r]+")


@dataclass(frozen=True, slots=True)
class Facet:
    """What one CEB element may hold: its base type and the facets of its restriction.

    ``length`` in the XSD is ``min_length == max_length``. Lengths count characters (code
    points, as Python's ``len``) after the white-space handling; digits count the value's
    significant digits, as XSD does: ``0100.50`` has 4 digits and 1 decimal. ``fixed`` is
    the one value the element may hold (the import messages' ``currency`` is ``142``).
    """

    base: Literal["string", "decimal", "int"] = "string"
    min_length: int = 0
    max_length: int | None = None
    collapse: bool = False
    total_digits: int | None = None
    fraction_digits: int | None = None
    fixed: str | None = None

    def misfit(self, element: str, text: str) -> str | None:
        """Why ``text`` cannot be the value of ``element``, or ``None`` when it fits.

        The reason reads after a field name: ``61 characters, the CEB element orderNo holds
        at most 60``.
        """
        if self.base == "string":
            return self._length_misfit(element, text)
        return self._number_misfit(element, _XML_SPACE.sub(" ", text).strip(" "))

    def _length_misfit(self, element: str, text: str) -> str | None:
        value = _XML_SPACE.sub(" ", text).strip(" ") if self.collapse else text
        if self.fixed is not None and value != self.fixed:
            shown = repr(text[:40]) + ("..." if len(text) > 40 else "")
            return f"{shown} is not {self.fixed}, the one value the CEB element {element} holds"
        count = len(value)
        most = self.max_length
        if self.min_length <= count and (most is None or count <= most):
            return None
        measured = f"{count} characters" + (
            " once its white space is collapsed" if value != text else ""
        )
        if self.min_length == most:
            limit = f"exactly {most}"
        elif most is not None and count > most:
            limit = f"at most {most}"
        else:
            limit = f"at least {self.min_length}"
        return f"{measured}, the CEB element {element} holds {limit}"

    def _number_misfit(self, element: str, text: str) -> str | None:
        shown = repr(text[:40]) + ("..." if len(text) > 40 else "")
        if self.base == "int" and not _INTEGER.fullmatch(text):
            return f"{shown} is not a whole number, the CEB element {element} holds an xs:int"
        if self.base == "decimal" and not _DECIMAL.fullmatch(text):
            return f"{shown} is not a decimal number, the CEB element {element} holds one"
        whole, _, fraction = text.lstrip("+-").partition(".")
        fraction = fraction.rstrip("0")
        digits = len((whole + fraction).lstrip("0"))
        # 11 digits are beyond xs:int anyway (and int() refuses more than 4300)
        if self.base == "int" and (digits > 10 or int(text) not in _INT_RANGE):
            return f"{shown} is beyond xs:int, the type of the CEB element {element}"
        if self.total_digits is not None and digits > self.total_digits:
            return f"{digits} digits, the CEB element {element} holds at most {self.total_digits}"
        if self.fraction_digits is not None and len(fraction) > self.fraction_digits:
            return (
                f"{len(fraction)} decimals, the CEB element {element} holds at most "
                f"{self.fraction_digits}"
            )
        return None


def _text(max_length: int, min_length: int = 0, *, collapse: bool = False) -> Facet:
    """An xs:string of ``min_length`` to ``max_length`` characters."""
    return Facet(min_length=min_length, max_length=max_length, collapse=collapse)


def _exact(length: int, *, collapse: bool = False, fixed: str | None = None) -> Facet:
    """An xs:string of exactly ``length`` characters (the XSD's ``length`` facet)."""
    return Facet(min_length=length, max_length=length, collapse=collapse, fixed=fixed)


def _int(total_digits: int | None = None) -> Facet:
    """An xs:int, of at most ``total_digits`` digits when the XSD says so."""
    return Facet("int", total_digits=total_digits)


#: Every amount, quantity and weight of the four messages: N19,5.
_AMOUNT = Facet("decimal", total_digits=19, fraction_digits=5)

#: The currency of every import message: ``fixed="142"`` (CNY).
_CNY = _exact(3, fixed="142")

_EXPORT_ENVELOPE = {
    "guid": _exact(36),
    "appType": _exact(1),
    "appTime": _exact(14),
    "appStatus": _exact(1),
}
_IMPORT_ENVELOPE = {**_EXPORT_ENVELOPE, "appStatus": _text(3, 1)}

#: The facets of each element silkhub writes, by ``<root>/<record, head or item element>``.
FACETS: dict[str, dict[str, Facet]] = {
    "CEB303Message/OrderHead": {  # export-202205.xsd
        **_EXPORT_ENVELOPE,
        "orderType": _exact(1),
        "orderNo": _text(60),
        "ebpCode": _text(18),
        "ebpName": _text(100),
        "ebcCode": _text(18),
        "ebcName": _text(100),
        "goodsValue": _AMOUNT,
        "freight": _AMOUNT,
        "currency": _exact(3),
        "note": _text(1000),
    },
    "CEB303Message/OrderList": {  # export-202205.xsd
        "gnum": _int(5),
        "itemNo": _text(30),
        "itemName": _text(250),
        "itemDescribe": _text(1000),
        "barCode": _text(50),
        "unit": _exact(3),
        "currency": _exact(3),
        "qty": _AMOUNT,
        "price": _AMOUNT,
        "totalPrice": _AMOUNT,
        "note": _text(1000),
    },
    "CEB311Message/OrderHead": {  # import-202205.xsd
        **_IMPORT_ENVELOPE,
        "orderType": _exact(1),
        "orderNo": _text(60, 1),
        "ebpCode": _text(18, 1),
        "ebpName": _text(100, 1),
        "ebcCode": _text(18, 1),
        "ebcName": _text(100, 1),
        "goodsValue": _AMOUNT,
        "freight": _AMOUNT,
        "discount": _AMOUNT,
        "taxTotal": _AMOUNT,
        "acturalPaid": _AMOUNT,
        "currency": _CNY,
        "buyerRegNo": _text(60, 1),
        "buyerName": _text(60, 1),
        "buyerTelephone": _text(30, 1),
        "buyerIdType": _exact(1),
        "buyerIdNumber": _text(60, 1),
        "payCode": _text(18),
        "payName": _text(100),
        "payTransactionId": _text(60),
        "batchNumbers": _text(100),
        "consignee": _text(100, 1),
        "consigneeTelephone": _text(50, 1),
        "consigneeAddress": _text(200, 1),
        "consigneeDistrict": _exact(6),
        "note": _text(1000),
    },
    "CEB311Message/OrderList": {  # import-202205.xsd
        "gnum": _int(),
        "itemNo": _text(30),
        "itemName": _text(250, 1),
        "gmodel": _text(510, 1),
        "itemDescribe": _text(1000),
        "barCode": _text(50),
        "unit": _exact(3),
        "qty": _AMOUNT,
        "price": _AMOUNT,
        "totalPrice": _AMOUNT,
        "currency": _CNY,
        "country": _exact(3),
        "note": _text(1000),
    },
    "CEB403Message/Receipts": {  # export-202205.xsd
        **_EXPORT_ENVELOPE,
        "ebpCode": _text(18),
        "ebpName": _text(100),
        "ebcCode": _text(18),
        "ebcName": _text(100),
        "orderNo": _text(60),
        "payCode": _text(18),
        "payName": _text(100),
        "payNo": _text(60),
        "charge": _AMOUNT,
        "currency": _exact(3),
        "accountingDate": _exact(14),
        "note": _text(1000),
    },
    "CEB411Message/PaymentHead": {  # import-202205.xsd
        **_IMPORT_ENVELOPE,
        "payCode": _text(18, 1),
        "payName": _text(100, 1),
        "payTransactionId": _text(60, 1),
        "orderNo": _text(60, 1),
        "ebpCode": _text(18, 1),
        "ebpName": _text(100, 1),
        "payerIdType": _exact(1),
        "payerIdNumber": _text(60, 1),
        "payerName": _text(60, 1),
        "telephone": _text(60),
        "amountPaid": _AMOUNT,
        "currency": _CNY,
        "payTime": _exact(14),
        "note": _text(1000),
    },
    "CEB505Message/Logistics": {  # export-202205.xsd
        **_EXPORT_ENVELOPE,
        "logisticsCode": _text(18),
        "logisticsName": _text(100),
        "logisticsNo": _text(32),
        "freight": _AMOUNT,
        "insuredFee": _AMOUNT,
        "currency": _exact(3),
        "grossWeight": _AMOUNT,
        "packNo": _int(9),
        "goodsInfo": _text(200, collapse=True),
        "ebcCode": _text(18),
        "ebcName": _text(100),
        "ebcTelephone": _text(50),
        "note": _text(1000),
    },
    "CEB511Message/LogisticsHead": {  # import-202205.xsd
        **_IMPORT_ENVELOPE,
        "logisticsCode": _text(18, 1),
        "logisticsName": _text(100, 1),
        "logisticsNo": _text(60, 1),
        "billNo": _text(37),
        "orderNo": _text(60, 1),
        "freight": _AMOUNT,
        "insuredFee": _AMOUNT,
        "currency": _CNY,
        "weight": _AMOUNT,
        "packNo": _int(9),
        "goodsInfo": _text(200),
        "consignee": _text(100, 1),
        "consigneeAddress": _text(200, 1),
        "consigneeTelephone": _text(50, 1),
        "note": _text(1000),
    },
    "CEB603Message/InventoryHead": {  # export-202205.xsd
        **_EXPORT_ENVELOPE,
        "customsCode": _exact(4),
        "ebpCode": _text(18),
        "ebpName": _text(100),
        "orderNo": _text(60),
        "logisticsCode": _text(18),
        "logisticsName": _text(100),
        "logisticsNo": _text(32),
        "copNo": _text(30),
        "preNo": _exact(18),
        "invtNo": _text(20),
        "ieFlag": _exact(1),
        "portCode": _exact(4),
        "ieDate": _exact(8),
        "statisticsFlag": _exact(1),
        "agentCode": _text(18),
        "agentName": _text(100),
        "ebcCode": _text(18),
        "ebcName": _text(100),
        "ownerCode": _text(18),
        "ownerName": _text(100),
        "iacCode": _text(18),
        "iacName": _text(100),
        "emsNo": _text(30),
        "tradeMode": _exact(4),
        "trafMode": _exact(1, collapse=True),
        "trafName": _text(100),
        "voyageNo": _text(32),
        "billNo": _text(37),
        "totalPackageNo": _text(37),
        "loctNo": _text(10),
        "licenseNo": _text(19),
        "country": _exact(3),
        "POD": _text(4, 3, collapse=True),
        "freight": _AMOUNT,
        "fCurrency": _exact(3),
        "fFlag": _exact(1, fixed="3"),
        "insuredFee": _AMOUNT,
        "iCurrency": _exact(3),
        "iFlag": _exact(1, fixed="3"),
        "wrapType": _exact(1, collapse=True),
        "packNo": _int(9),
        "grossWeight": _AMOUNT,
        "netWeight": _AMOUNT,
        "note": _text(1000),
    },
    "CEB603Message/InventoryList": {  # export-202205.xsd
        "gnum": _int(5),
        "itemNo": _text(20),
        "itemRecordNo": _text(30),
        "itemName": _text(250),
        "gcode": _exact(10),
        "gname": _text(250),
        "gmodel": _text(250, collapse=True),
        "barCode": _text(50, collapse=True),
        "country": _exact(3),
        "currency": _exact(3),
        "qty": _AMOUNT,
        "qty1": _AMOUNT,
        "qty2": _AMOUNT,
        "unit": _exact(3),
        "unit1": _exact(3),
        "unit2": _text(3),
        "price": _AMOUNT,
        "totalPrice": _AMOUNT,
        "note": _text(1000),
    },
    "CEB621Message/InventoryHead": {  # import-202205.xsd
        **_IMPORT_ENVELOPE,
        "orderNo": _text(60, 1),
        "ebpCode": _text(18, 1),
        "ebpName": _text(100, 1),
        "ebcCode": _text(18, 1),
        "ebcName": _text(100, 1),
        "logisticsNo": _text(60, 1),
        "logisticsCode": _text(18, 1),
        "logisticsName": _text(100, 1),
        "copNo": _text(20),
        "preNo": _text(18),
        "assureCode": _text(30, 1),
        "emsNo": _text(30),
        "invtNo": _text(18),
        "ieFlag": _exact(1),
        "declTime": _exact(8),
        "customsCode": _exact(4),
        "portCode": _exact(4),
        "ieDate": _exact(8),
        "buyerIdType": _exact(1),
        "buyerIdNumber": _text(60, 1),
        "buyerName": _text(60, 1),
        "buyerTelephone": _text(30, 1),
        "consigneeAddress": _text(200, 1),
        "agentCode": _text(18, 1),
        "agentName": _text(100, 1),
        "areaCode": _text(18),
        "areaName": _text(100),
        "tradeMode": _exact(4),
        "trafMode": _exact(1),
        "trafNo": _text(100),
        "voyageNo": _text(32),
        "billNo": _text(37),
        "loctNo": _text(10),
        "licenseNo": _text(19),
        "country": _exact(3),
        "freight": _AMOUNT,
        "insuredFee": _AMOUNT,
        "currency": _CNY,
        "wrapType": _exact(1),
        "packNo": _int(9),
        "grossWeight": _AMOUNT,
        "netWeight": _AMOUNT,
        "note": _text(1000),
    },
    "CEB621Message/InventoryList": {  # import-202205.xsd
        "gnum": _int(),
        "itemRecordNo": _text(30),
        "itemNo": _text(20),
        "itemName": _text(250),
        "gcode": _exact(10),
        "gname": _text(250, 1),
        "gmodel": _text(510, 1),
        "barCode": _text(50),
        "country": _exact(3),
        "tradeCountry": _text(3, 1),
        "currency": _CNY,
        "qty": _AMOUNT,
        "unit": _exact(3),
        "qty1": _AMOUNT,
        "unit1": _exact(3),
        "qty2": _AMOUNT,
        "unit2": _exact(3),
        "price": _AMOUNT,
        "totalPrice": _AMOUNT,
        "note": _text(1000),
    },
}

#: The most items (``OrderList`` / ``InventoryList``) one order or list may hold.
MAX_ITEMS: dict[str, int] = {
    "CEB303Message": 100,  # export-202205.xsd
    "CEB311Message": 99,  # import-202205.xsd
    "CEB603Message": 100,  # export-202205.xsd
    "CEB621Message": 99,  # import-202205.xsd
}

#: The sender's ``BaseTransfer`` (the same in both editions, but for the import copCode's
#: minLength 1, which ``CebSender`` asks of both).
BASE_TRANSFER: dict[str, Facet] = {
    "copCode": _text(18, 1),
    "copName": _text(100),
    "dxpMode": _exact(3),
    "dxpId": _text(30),
}
