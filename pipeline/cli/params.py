"""Option types that read amounts and dates the way people type them, Italian or English.

A value that cannot be read is refused by click with one line (``Error: Invalid value for
'--min-total': 'abc' is not an amount …``), never a traceback.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import click

from ..index.query import QueryValueError, parse_amount, parse_period


class AmountType(click.ParamType):
    name = "AMOUNT"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Decimal | None:
        try:
            return parse_amount(value)
        except QueryValueError as exc:
            self.fail(str(exc), param, ctx)


class DayType(click.ParamType):
    """A day, a month ("settembre 2025", "09/2025") or a year; ``end`` picks the period's last day."""

    name = "DATE"

    def __init__(self, *, end: bool = False):
        self.end = end

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date | None:
        try:
            period = parse_period(value)
        except QueryValueError as exc:
            self.fail(str(exc), param, ctx)
        return None if period is None else period[1 if self.end else 0]


AMOUNT = AmountType()
DATE_FROM = DayType()
DATE_TO = DayType(end=True)
DATE_HELP = "03/09/2025, 3 settembre 2025, 2025-09-03; a month (settembre 2025) or a year (2025) for its {edge} day"
