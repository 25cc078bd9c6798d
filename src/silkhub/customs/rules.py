"""The customs rule set: stable codes, the action each one takes, thresholds and lists.

All of it lives in a versioned data file (``silkhub/data/customs/rules.toml`` plus the CSV
lists it names) so that a broker or an officer can read what silkhub checks and a hub can
tighten a tolerance without touching code. The version is recorded with every verdict.
"""

from __future__ import annotations

import csv
import io
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from silkhub.customs.messages import CustomsMode, Direction

__all__ = [
    "RULE_CODES",
    "Action",
    "RestrictedGoods",
    "RestrictedParty",
    "Rule",
    "RuleSet",
    "RulesFileError",
    "Thresholds",
    "default_rules",
    "load_rules",
]

#: Every code silkhub can report; a rules file must give each of them an action.
RULE_CODES = (
    "schema.invalid_json",
    "schema.missing_field",
    "schema.bad_type",
    "schema.bad_value",
    "hs_code.unknown",
    "country.unknown",
    "currency.unknown",
    "currency.not_allowed",
    "unit.unknown",
    "value.not_positive",
    "total.mismatch",
    "duplicate.message_id",
    "match.conflict",
    "match.missing_order",
    "match.missing_payment",
    "match.missing_waybill",
    "match.amount_mismatch",
    "match.order_mismatch",
    "limit.transaction",
    "limit.annual",
    "weight.discrepancy",
    "goods.restricted",
    "party.screening_hit",
    "ics2.incomplete",
)


class Action(StrEnum):
    """What a problem does to the inventory list it concerns, mildest first."""

    PENDING = "pending"
    INSPECT = "inspect"
    HOLD = "hold"
    REJECT = "reject"

    @property
    def rank(self) -> int:
        """Severity order: a list takes the action of highest rank among its problems."""
        return _RANK[self]


_RANK = {Action.PENDING: 1, Action.INSPECT: 2, Action.HOLD: 3, Action.REJECT: 4}


class RulesFileError(ValueError):
    """A rules file (or one of its lists) cannot be used; the message names file and field."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One stable problem code, its action and its documentation."""

    code: str
    action: Action
    description: str

    def __post_init__(self) -> None:
        if self.code not in RULE_CODES:
            raise ValueError(f"unknown rule code {self.code!r}")


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The numbers the checks compare against (see rules.toml for their sources)."""

    total_tolerance: Decimal = Decimal("0.01")
    transaction_limit_cny: Decimal = Decimal(5000)
    annual_limit_cny: Decimal = Decimal(26000)
    b2c_import_modes: frozenset[CustomsMode] = frozenset({CustomsMode.DIRECT, CustomsMode.BONDED})
    weight_tolerance_ratio: Decimal = Decimal("0.05")
    weight_tolerance_kg: Decimal = Decimal("0.5")
    screening_min_score: float = 90.0

    def __post_init__(self) -> None:
        for name in (
            "total_tolerance",
            "transaction_limit_cny",
            "annual_limit_cny",
            "weight_tolerance_ratio",
            "weight_tolerance_kg",
        ):
            value = getattr(self, name)
            if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
                raise ValueError(f"thresholds.{name} must be a non-negative Decimal, not {value!r}")
        if not 0 < self.screening_min_score <= 100:
            raise ValueError("thresholds.screening_min_score must be in (0, 100]")


@dataclass(frozen=True, slots=True)
class RestrictedGoods:
    """An HS prefix on the prohibited/restricted list, for one direction or both."""

    hs_prefix: str
    directions: frozenset[Direction]
    action: Action
    category: str
    reason: str
    source: str

    def __post_init__(self) -> None:
        if not self.hs_prefix.isdigit() or not 2 <= len(self.hs_prefix) <= 10:
            raise ValueError(
                f"restricted goods hs_prefix must be 2-10 digits, not {self.hs_prefix!r}"
            )
        if not self.directions:
            raise ValueError("restricted goods need at least one direction")


@dataclass(frozen=True, slots=True)
class RestrictedParty:
    """A name screened against consignees; ``country`` (ISO alpha-2) narrows it when given."""

    name: str
    country: str
    source: str

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("a restricted party needs a name")


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The complete configuration of the customs checks, as loaded from a rules file."""

    version: str
    rules: Mapping[str, Rule]
    thresholds: Thresholds = field(default_factory=Thresholds)
    restricted_goods: tuple[RestrictedGoods, ...] = ()
    restricted_parties: tuple[RestrictedParty, ...] = ()
    ics2_countries: frozenset[str] = frozenset()
    ics2_hs_min_digits: int = 6
    _actions: Mapping[str, Action] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.version:
            raise ValueError("a rule set needs a version")
        missing = [code for code in RULE_CODES if code not in self.rules]
        if missing:
            raise ValueError(f"the rule set has no action for {', '.join(missing)}")
        object.__setattr__(self, "rules", MappingProxyType(dict(self.rules)))
        object.__setattr__(
            self, "_actions", MappingProxyType({c: r.action for c, r in self.rules.items()})
        )

    def action(self, code: str) -> Action:
        """The action of ``code``."""
        return self._actions[code]


def _decimal(data: Mapping[str, Any], key: str, where: str, default: Decimal) -> Decimal:
    if key not in data:
        return default
    try:
        value = Decimal(str(data[key]))
    except InvalidOperation as exc:
        raise RulesFileError(f"{where}: thresholds.{key} is not a number: {data[key]!r}") from exc
    return value


def _read_csv(text: str, where: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in columns if c not in (reader.fieldnames or ())]
    if missing:
        raise RulesFileError(f"{where}: missing column(s) {', '.join(missing)}")
    return list(reader)


def _goods(text: str, where: str) -> tuple[RestrictedGoods, ...]:
    rows = _read_csv(text, where, ("hs_prefix", "direction", "action", "category", "reason"))
    goods = []
    for line, row in enumerate(rows, start=2):
        direction = row["direction"].strip()
        if direction == "both":
            directions = frozenset(Direction)
        elif direction in {"export", "import"}:
            directions = frozenset({Direction(direction)})
        else:
            raise RulesFileError(f"{where}:{line}: direction must be export, import or both")
        try:
            goods.append(
                RestrictedGoods(
                    hs_prefix=row["hs_prefix"].strip(),
                    directions=directions,
                    action=Action(row["action"].strip()),
                    category=row["category"].strip(),
                    reason=row["reason"].strip(),
                    source=(row.get("source") or "").strip(),
                )
            )
        except ValueError as exc:
            raise RulesFileError(f"{where}:{line}: {exc}") from exc
    return tuple(goods)


def _parties(text: str, where: str) -> tuple[RestrictedParty, ...]:
    rows = _read_csv(text, where, ("name", "country"))
    parties = []
    for line, row in enumerate(rows, start=2):
        try:
            parties.append(
                RestrictedParty(
                    name=row["name"].strip(),
                    country=row["country"].strip(),
                    source=(row.get("source") or "").strip(),
                )
            )
        except ValueError as exc:
            raise RulesFileError(f"{where}:{line}: {exc}") from exc
    return tuple(parties)


def _parse(text: str, where: str, read_list: Any) -> RuleSet:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesFileError(f"{where}: not valid TOML: {exc}") from exc
    thresholds_data = data.get("thresholds", {})
    defaults = Thresholds()
    try:
        modes = frozenset(
            CustomsMode(str(m))
            for m in thresholds_data.get("b2c_import_modes", list(defaults.b2c_import_modes))
        )
        thresholds = Thresholds(
            total_tolerance=_decimal(
                thresholds_data, "total_tolerance", where, defaults.total_tolerance
            ),
            transaction_limit_cny=_decimal(
                thresholds_data, "transaction_limit_cny", where, defaults.transaction_limit_cny
            ),
            annual_limit_cny=_decimal(
                thresholds_data, "annual_limit_cny", where, defaults.annual_limit_cny
            ),
            b2c_import_modes=modes,
            weight_tolerance_ratio=_decimal(
                thresholds_data, "weight_tolerance_ratio", where, defaults.weight_tolerance_ratio
            ),
            weight_tolerance_kg=_decimal(
                thresholds_data, "weight_tolerance_kg", where, defaults.weight_tolerance_kg
            ),
            screening_min_score=float(
                thresholds_data.get("screening_min_score", defaults.screening_min_score)
            ),
        )
        rules = {
            code: Rule(code, Action(str(body.get("action", ""))), str(body.get("description", "")))
            for code, body in data.get("rules", {}).items()
        }
        goods_file = thresholds_data.get("restricted_goods_file")
        parties_file = thresholds_data.get("restricted_parties_file")
        ics2 = data.get("ics2", {})
        return RuleSet(
            version=str(data.get("version", "")),
            rules=rules,
            thresholds=thresholds,
            restricted_goods=_goods(read_list(goods_file), goods_file) if goods_file else (),
            restricted_parties=_parties(read_list(parties_file), parties_file)
            if parties_file
            else (),
            ics2_countries=frozenset(str(c) for c in ics2.get("countries", ())),
            ics2_hs_min_digits=int(ics2.get("hs_min_digits", 6)),
        )
    except RulesFileError:
        raise
    except (ValueError, TypeError) as exc:
        raise RulesFileError(f"{where}: {exc}") from exc


def load_rules(path: Path | str) -> RuleSet:
    """Load a rules file (and the lists it names, relative to it); raise ``RulesFileError``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesFileError(f"{path}: cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise RulesFileError(f"{path}: is not UTF-8 ({exc.reason} at byte {exc.start})") from exc

    def read_list(name: str) -> str:
        try:
            return (path.parent / name).read_text(encoding="utf-8")
        except OSError as exc:
            raise RulesFileError(f"{path.parent / name}: cannot read: {exc.strerror}") from exc

    return _parse(text, str(path), read_list)


@cache
def default_rules() -> RuleSet:
    """The rule set shipped with silkhub (loaded once, on first use)."""
    folder = resources.files("silkhub") / "data" / "customs"

    def read_list(name: str) -> str:
        return (folder / name).read_text(encoding="utf-8")

    return _parse((folder / "rules.toml").read_text(encoding="utf-8"), "rules.toml", read_list)
