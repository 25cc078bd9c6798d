"""Problems found in a network folder, reported all at once with file, line and column."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong in a network file. ``line`` 1 is the header; 0 means the file itself."""

    file: str
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = self.file if self.line == 0 else f"{self.file}:{self.line}"
        return f"{where}:{self.column}: {self.reason}" if self.column else f"{where}: {self.reason}"


class NetworkInvalidError(ValueError):
    """Raised by ``load_network`` when a folder has problems; ``problems`` lists all of them."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        shown = "\n".join(f"  {p}" for p in self.problems[:20])
        more = f"\n  ... and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(f"the network has {len(self.problems)} problem(s):\n{shown}{more}")
