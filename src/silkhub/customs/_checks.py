"""Single-message checks: codes, values, totals, restricted goods, screening, weights.

Hand-written on purpose: this runs once per message of files with millions of lines, so each
check is a few attribute reads, a set look-up or one Decimal operation. The checks that need
two messages (matching, limits, ICS2) live in ``_matching``.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation

from rapidfuzz import fuzz, process, utils

from silkhub.customs._codes import ceb_codes, hs_code_known
from silkhub.customs.messages import (
    CustomsMode,
    Direction,
    Inventory,
    Item,
    Message,
    Order,
    Payment,
    TransportMode,
    Waybill,
)
from silkhub.customs.problems import Problem
from silkhub.customs.rules import Action, RestrictedGoods, RuleSet
from silkhub.reference import is_country, is_currency

#: Enum members as module constants: attribute look-ups on an Enum class cost ~100 ns.
_EXPORT = Direction.EXPORT
_IMPORT = Direction.IMPORT
_REJECT = Action.REJECT

_ZERO = Decimal(0)
#: Memo tables (HS codes, screened names...) stop growing at this size.
_MEMO_LIMIT = 200_000
#: A memo-table miss (None is a cached answer).
_UNSEEN = object()
_EXPORT_ONLY_MODES = frozenset({CustomsMode.B2B_DIRECT_EXPORT, CustomsMode.OVERSEAS_WAREHOUSE})
#: The ICS2 "7+1" pre-loading data elements silkhub reads from a waybill.
ICS2_FIELDS = (
    "consignor_name",
    "consignor_address",
    "consignee_name",
    "consignee_address",
    "pieces",
    "gross_weight_kg",
    "goods_description",
    "awb_no",
)


def _screening_form(name: str) -> str:
    """A name as screening compares it: NFKC, without invisible format characters, processed.

    The same visible name can be written several ways: full-width Latin (``Ｒｏｇｕｅ``), an
    accent as its own combining character, a zero-width space between letters. Compared as
    written, each had escaped a listed party.
    """
    folded = unicodedata.normalize("NFKC", name)
    visible = "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")
    return str(utils.default_process(visible))


class Checker:
    """The single-message checks of one rule set, with its look-up tables built once."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self._tolerance = rules.thresholds.total_tolerance
        self._units = ceb_codes().to_customs_map.get("unit", {})
        self._goods: dict[Direction, tuple[RestrictedGoods, ...]] = {
            d: tuple(g for g in rules.restricted_goods if d in g.directions) for d in Direction
        }
        self._goods_hits: dict[tuple[Direction, str], RestrictedGoods | None] = {}
        self._party_names = [_screening_form(p.name) for p in rules.restricted_parties]
        self._screened: dict[tuple[str, str], tuple[str, float] | None] = {}
        # The party lists per country, one per country a party is listed for (and "" for the
        # others): keyed by the waybill's text, any bad country had cost a copy of the list.
        self._by_country: dict[str, tuple[list[str], list[int]]] = {}
        self._party_countries = frozenset(p.country for p in rules.restricted_parties if p.country)
        self._weight_ratio = rules.thresholds.weight_tolerance_ratio
        self._weight_kg = rules.thresholds.weight_tolerance_kg
        self._hs_ok: dict[str, bool] = {}
        self._countries_ok: set[str] = set()
        self._currencies_ok: set[str] = set()

    def _hs_known(self, code: str) -> bool:
        known = hs_code_known(code)
        if len(self._hs_ok) < _MEMO_LIMIT:
            self._hs_ok[code] = known
        return known

    def _country_known(self, code: str) -> bool:
        if code in self._countries_ok:
            return True
        if is_country(code):
            self._countries_ok.add(code)
            return True
        return False

    # -- the entry point -------------------------------------------------------------------

    def check(self, message: Message) -> tuple[list[Problem], Action | None]:
        """The problems of one message and the strongest action among them (None if none)."""
        if self._clean(message):
            return [], None
        problems: list[Problem] = []
        action: Action | None = None
        cls = type(message)
        if cls is Order:
            action = self._order(message, problems)  # type: ignore[arg-type]
        elif cls is Payment:
            self._payment(message, problems)  # type: ignore[arg-type]
        elif cls is Waybill:
            self._waybill(message, problems)  # type: ignore[arg-type]
        else:
            action = self._inventory(message, problems)  # type: ignore[arg-type]
        if not problems:
            return problems, None
        for problem in problems:
            rule_action = self.rules.action(problem.code)
            if problem.code != "goods.restricted" and (
                action is None or rule_action.rank > action.rank
            ):
                action = rule_action
        return problems, action

    def _clean(self, m: Message) -> bool:
        """A quick, conservative test that a message has no problem at all.

        Most messages are clean, and telling so in one pass of comparisons (no problem
        objects, no messages formatted) is most of the speed of a bulk run. Anything this
        cannot vouch for — a code not met before, a non-finite number (Decimal comparisons
        with NaN raise), a restricted HS code — goes to the detailed checks, which are the
        reference; the look-up sets here are filled by them.
        """
        try:
            if isinstance(m, Waybill):
                gross = m.gross_weight_kg
                if not (
                    m.consignee_country in self._countries_ok
                    and gross.is_finite()
                    and gross > 0
                    and m.pieces > 0
                ):
                    return False
                measured = m.measured_kg
                if measured is not None:
                    tolerance = max(gross * self._weight_ratio, self._weight_kg)
                    if not measured > 0 or abs(measured - gross) > tolerance:
                        return False
                if not self._party_names:
                    return True
                key = (m.consignee_name, m.consignee_country)
                hit = self._screened.get(key, _UNSEEN)
                if hit is _UNSEEN:
                    hit = self._screen(*key)
                return hit is None
            if not (
                m.currency in self._currencies_ok
                and (m.direction is _EXPORT or m.currency == "CNY")
            ):
                return False
            if isinstance(m, Payment):
                return m.amount.is_finite() and m.amount > 0
            if m.direction is _IMPORT and m.mode in _EXPORT_ONLY_MODES:
                return False
            if isinstance(m, Order):
                declared = m.goods_value
                if not (m.freight.is_finite() and m.freight >= 0 and declared > 0):
                    return False
            else:
                i = m
                declared = i.total_value
                if not (
                    i.destination_country in self._countries_ok
                    and i.gross_weight_kg.is_finite()
                    and i.net_weight_kg.is_finite()
                    and i.gross_weight_kg > 0
                    and i.net_weight_kg > 0
                    and declared > 0
                ):
                    return False
            return self._items_clean(m.items, m.direction, declared)
        except InvalidOperation:
            return False

    def _items_clean(
        self, items: tuple[Item, ...], direction: Direction, declared: Decimal
    ) -> bool:
        tolerance = self._tolerance
        hs_ok = self._hs_ok
        countries_ok = self._countries_ok
        units = self._units
        restricted = self._goods[direction]
        goods_hits = self._goods_hits
        total = _ZERO
        for item in items:
            qty, price, line_total = item.qty, item.price, item.total_price
            if not (
                hs_ok.get(item.hs_code, False)
                and item.origin_country in countries_ok
                and item.unit in units
                and qty > 0
                and price >= 0
                and line_total >= 0
                and abs(qty * price - line_total) <= tolerance
            ):
                return False
            if restricted and goods_hits.get((direction, item.hs_code), _UNSEEN) is not None:
                return False
            total += line_total
        return abs(total - declared) <= tolerance

    # -- per kind --------------------------------------------------------------------------

    def _order(self, o: Order, problems: list[Problem]) -> Action | None:
        self._currency(o.direction, o.currency, "currency", problems)
        if o.direction is _IMPORT and o.mode in _EXPORT_ONLY_MODES:
            problems.append(
                Problem("schema.bad_value", "mode", f"mode {o.mode} is for exports only")
            )
        self._positive(o.goods_value, "goods_value", problems)
        self._not_negative(o.freight, "freight", problems)
        action = self._items(o.items, o.direction, problems)
        self._sum(o.items, o.goods_value, "goods_value", problems)
        return action

    def _payment(self, p: Payment, problems: list[Problem]) -> None:
        self._currency(p.direction, p.currency, "currency", problems)
        self._positive(p.amount, "amount", problems)

    def _waybill(self, w: Waybill, problems: list[Problem]) -> None:
        if not self._country_known(w.consignee_country):
            problems.append(_unknown_country("consignee_country", w.consignee_country))
        declared_ok = self._positive(w.gross_weight_kg, "gross_weight_kg", problems)
        if w.pieces <= 0:
            problems.append(
                Problem("value.not_positive", "pieces", f"must be at least 1, not {w.pieces}")
            )
        measured = w.measured_kg
        if (
            measured is not None
            and self._positive(measured, "measured_kg", problems)
            and declared_ok
        ):
            t = self.rules.thresholds
            tolerance = max(w.gross_weight_kg * t.weight_tolerance_ratio, t.weight_tolerance_kg)
            difference = measured - w.gross_weight_kg
            if abs(difference) > tolerance:
                problems.append(
                    Problem(
                        "weight.discrepancy",
                        "measured_kg",
                        f"measured {measured} kg vs declared {w.gross_weight_kg} kg: "
                        f"{difference:+} kg is beyond the tolerance of {tolerance.normalize()} kg",
                    )
                )
        hit = self._screen(w.consignee_name, w.consignee_country)
        if hit is not None:
            name, score = hit
            problems.append(
                Problem(
                    "party.screening_hit",
                    "consignee_name",
                    f"{w.consignee_name!r} matches restricted party {name!r} (score {score:.0f})",
                )
            )

    def _inventory(self, i: Inventory, problems: list[Problem]) -> Action | None:
        if not self._country_known(i.destination_country):
            problems.append(_unknown_country("destination_country", i.destination_country))
        self._currency(i.direction, i.currency, "currency", problems)
        if i.direction is _IMPORT and i.mode in _EXPORT_ONLY_MODES:
            problems.append(
                Problem("schema.bad_value", "mode", f"mode {i.mode} is for exports only")
            )
        self._positive(i.gross_weight_kg, "gross_weight_kg", problems)
        self._positive(i.net_weight_kg, "net_weight_kg", problems)
        self._positive(i.total_value, "total_value", problems)
        action = self._items(i.items, i.direction, problems)
        self._sum(i.items, i.total_value, "total_value", problems)
        return action

    # -- shared pieces ---------------------------------------------------------------------

    def _items(
        self, items: tuple[Item, ...], direction: Direction, problems: list[Problem]
    ) -> Action | None:
        """Check each item: a fast test that every value is fine, the detail only if not."""
        action: Action | None = None
        tolerance = self._tolerance
        hs_ok = self._hs_ok
        countries_ok = self._countries_ok
        units = self._units
        restricted = self._goods[direction]
        for index, item in enumerate(items):
            qty, price, total = item.qty, item.price, item.total_price
            if (
                hs_ok.get(item.hs_code, False)
                and item.origin_country in countries_ok
                and item.unit in units
                and qty.is_finite()
                and price.is_finite()
                and total.is_finite()
                and qty > 0
                and price >= 0
                and total >= 0
                and abs(qty * price - total) <= tolerance
                and not (restricted and self._restricted(direction, item.hs_code))
            ):
                continue
            action = self._item_detail(index, item, direction, problems, action)
        return action

    def _item_detail(
        self,
        index: int,
        item: Item,
        direction: Direction,
        problems: list[Problem],
        action: Action | None,
    ) -> Action | None:
        tolerance = self._tolerance
        where = f"items[{index}]."
        hs = item.hs_code
        if not self._hs_known(hs):
            problems.append(
                Problem(
                    "hs_code.unknown",
                    where + "hs_code",
                    f"{hs!r} is not 6, 8 or 10 digits starting with an HS 2022 subheading",
                )
            )
        elif self._goods[direction]:
            entry = self._restricted(direction, hs)
            if entry is not None:
                problems.append(
                    Problem(
                        "goods.restricted",
                        where + "hs_code",
                        f"{hs} is {entry.category} for {direction}: {entry.reason} "
                        f"({entry.source or 'restricted goods list'})",
                    )
                )
                if action is None or entry.action.rank > action.rank:
                    action = entry.action
        if not self._country_known(item.origin_country):
            problems.append(_unknown_country(where + "origin_country", item.origin_country))
        if item.unit not in self._units:
            problems.append(
                Problem(
                    "unit.unknown",
                    where + "unit",
                    f"{item.unit!r} is not a unit silkhub can declare (UN/ECE Rec 20 codes "
                    f"in data/customs/ceb_codes.csv)",
                )
            )
        qty_ok = self._positive(item.qty, where + "qty", problems)
        price_ok = self._not_negative(item.price, where + "price", problems)
        total_ok = self._not_negative(item.total_price, where + "total_price", problems)
        if qty_ok and price_ok and total_ok:
            expected = item.qty * item.price
            if abs(expected - item.total_price) > tolerance:
                problems.append(
                    Problem(
                        "total.mismatch",
                        where + "total_price",
                        f"qty × price = {item.qty} × {item.price} = {expected.normalize()}, "
                        f"not {item.total_price}",
                    )
                )
        return action

    def _sum(
        self, items: tuple[Item, ...], declared: Decimal, name: str, problems: list[Problem]
    ) -> None:
        if not declared.is_finite():
            return
        total = _ZERO
        for item in items:
            if not item.total_price.is_finite():
                return
            total += item.total_price
        if abs(total - declared) > self._tolerance:
            problems.append(
                Problem(
                    "total.mismatch",
                    name,
                    f"the items' total_price add up to {total}, not {declared}",
                )
            )

    def _currency(
        self, direction: Direction, currency: str, name: str, problems: list[Problem]
    ) -> None:
        if currency in self._currencies_ok:
            pass
        elif is_currency(currency):
            self._currencies_ok.add(currency)
        else:
            problems.append(
                Problem("currency.unknown", name, f"{currency!r} is not an ISO 4217 currency code")
            )
        if direction is _IMPORT and currency != "CNY" and currency in self._currencies_ok:
            problems.append(
                Problem(
                    "currency.not_allowed",
                    name,
                    f"B2C import messages are in CNY (CEB311/411/621 currency 142), not {currency}",
                )
            )

    @staticmethod
    def _positive(value: Decimal, name: str, problems: list[Problem]) -> bool:
        if not value.is_finite():
            problems.append(
                Problem("schema.bad_value", name, f"must be a finite number, not {value}")
            )
            return False
        if value <= 0:
            problems.append(Problem("value.not_positive", name, f"must be positive, not {value}"))
            return False
        return True

    @staticmethod
    def _not_negative(value: Decimal, name: str, problems: list[Problem]) -> bool:
        if not value.is_finite():
            problems.append(
                Problem("schema.bad_value", name, f"must be a finite number, not {value}")
            )
            return False
        if value < 0:
            problems.append(
                Problem("value.not_positive", name, f"must not be negative, not {value}")
            )
            return False
        return True

    def _restricted(self, direction: Direction, hs: str) -> RestrictedGoods | None:
        key = (direction, hs)
        try:
            return self._goods_hits[key]
        except KeyError:
            pass
        found: RestrictedGoods | None = None
        for entry in self._goods[direction]:
            if hs.startswith(entry.hs_prefix) and (
                found is None or entry.action.rank > found.action.rank
            ):
                found = entry
        if len(self._goods_hits) < _MEMO_LIMIT:
            self._goods_hits[key] = found
        return found

    def _screen(self, name: str, country: str) -> tuple[str, float] | None:
        """The best restricted-party match of a consignee, if it reaches the minimum score.

        Results are memoised per (name, country): the same consignees come back all day, and
        rapidfuzz's scorer is the dearest check per waybill.
        """
        if not self._party_names:
            return None
        key = (name, country)
        try:
            return self._screened[key]
        except KeyError:
            pass
        result: tuple[str, float] | None = None
        # Only the parties listed for the consignee's country (or for none) can match: the best
        # name over the whole list may be one listed elsewhere and hide a valid hit.
        names, indexes = self._parties_for(country)
        found = process.extractOne(
            _screening_form(name),
            names,
            scorer=fuzz.token_sort_ratio,
            processor=None,
            score_cutoff=self.rules.thresholds.screening_min_score,
        )
        if found is not None:
            _, score, at = found
            result = (self.rules.restricted_parties[indexes[at]].name, float(score))
        if len(self._screened) < _MEMO_LIMIT:
            self._screened[key] = result
        return result

    def _parties_for(self, country: str) -> tuple[list[str], list[int]]:
        """The processed names, and their places in the list, of the parties ``country`` meets."""
        if country not in self._party_countries:
            country = ""  # a country no party is listed for meets the unlisted ones only
        try:
            return self._by_country[country]
        except KeyError:
            pass
        indexes = [
            i
            for i, party in enumerate(self.rules.restricted_parties)
            if not party.country or party.country == country
        ]
        found = ([self._party_names[i] for i in indexes], indexes)
        self._by_country[country] = found  # one entry per listed country, and one more
        return found

    def ics2_in_scope(self, w: Waybill) -> bool:
        """Whether ICS2 pre-loading data is due: an air waybill to an ICS2 country."""
        return (
            w.transport_mode is TransportMode.AIR
            and w.consignee_country in self.rules.ics2_countries
        )

    @staticmethod
    def ics2_missing(w: Waybill) -> tuple[str, ...]:
        """The ICS2 7+1 elements a waybill lacks."""
        if (
            w.consignor_name.strip()
            and w.consignor_address.strip()
            and w.consignee_name.strip()
            and w.consignee_address.strip()
            and w.goods_description.strip()
            and w.awb_no.strip()
            and w.pieces > 0
            and w.gross_weight_kg.is_finite()
            and w.gross_weight_kg > 0
        ):
            return ()
        missing = []
        for name in ICS2_FIELDS:
            value = getattr(w, name)
            if (isinstance(value, str) and not value.strip()) or (
                not isinstance(value, str) and not value > 0
            ):
                missing.append(name)
        return tuple(missing)


def _unknown_country(name: str, code: str) -> Problem:
    return Problem("country.unknown", name, f"{code!r} is not an ISO 3166-1 alpha-2 country code")
