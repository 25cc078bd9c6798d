"""Problems found in customs messages: a stable code, the field and a message for people.

Codes are part of silkhub's interface (reports, API answers, dashboards count them): they are
listed with their action in the rules data file (``silkhub/data/customs/rules.toml``) and in
docs/customs.md, and a code is never renamed, only added.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Problem"]


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with a message: ``code`` (e.g. ``hs_code.unknown``), ``field``, ``message``.

    ``field`` is a path into the message's JSON form (``items[0].hs_code``), or "" when the
    problem concerns the whole line (invalid JSON) or the match between messages.
    """

    code: str
    field: str
    message: str

    def __post_init__(self) -> None:
        if not self.code or "." not in self.code:
            raise ValueError(f"a problem code looks like 'family.name', not {self.code!r}")

    def as_dict(self) -> dict[str, str]:
        """The JSON form used in reports and API answers."""
        return {"code": self.code, "field": self.field, "message": self.message}

    def __str__(self) -> str:
        where = f" {self.field}:" if self.field else ""
        return f"[{self.code}]{where} {self.message}"
