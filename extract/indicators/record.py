"""The extracted indicator record."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Indicator:
    name: str  # the measure, clean Simplified text, e.g. "义务教育巩固率"
    name_span: tuple[int, int]  # clean offsets of the name (of its own part for an enumeration)
    unit: str  # as written: "%", "万人", "平方米", "‰", "所", "张/千人", "/10万"...
    comparator: str  # ">=", "<=", "=", ">", "<"
    target: Decimal | None  # goal value
    target_year: int | None
    baseline: Decimal | None  # achieved / current value
    baseline_year: int | None
    span: tuple[int, int]  # clean offsets of the evidence clause (name..value+unit)
    domain: str | None = None  # service domain of the enclosing section
    table: bool = False  # read from a goal table

    @property
    def kind(self) -> str:
        return "target" if self.target is not None else "baseline"

    @property
    def value(self) -> Decimal | None:
        return self.target if self.target is not None else self.baseline

    @property
    def year(self) -> int | None:
        return self.target_year if self.target is not None else self.baseline_year
