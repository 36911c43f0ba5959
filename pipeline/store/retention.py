"""Retention of filed originals: how long each document is kept, and from which date.

The policy lives in the ``[retention]`` settings: years and an anchor per class (and, where a
document type needs its own, per ``class:type``), plus the Object Lock mode. Italian law counts
the ten years of art. 2220 c.c. from the last entry in the books, i.e. from the end of the fiscal
year a document belongs to, not from the day Archivio filed it; a contract is kept ten years
after it expires. So the anchor is read from the document's own fields:

    filed                    the day the original was filed
    end-of-day:FIELD         the end of the day FIELD names (a contract's expiration_date)
    fiscal-year-end:FIELD    the end of the fiscal year FIELD falls in (an invoice's date)

A document that lacks the field counts from its filing, and says so in its rule. Retention is
only ever extended: ``retention_to_apply`` never returns a date below what the store holds.
A retain-until date falling on 29 February in a non-leap year moves to 28 February.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..config import RetentionSettings
from ..records import Record
from .base import Retention

UTC = dt.timezone.utc


@dataclass(frozen=True)
class RetentionRule:
    """What a document's retention is computed from, in words a disposal certificate can quote."""

    key: str  # "invoice" or "invoice:TD04": the setting the rule comes from
    years: int
    anchor: str  # as configured: "fiscal-year-end:date"
    anchor_date: dt.datetime | None  # the moment the years count from; None without retention
    counted_from: str  # "end of fiscal year 2024 (date 2024-12-31)", "filing 2024-05-17"

    @property
    def until(self) -> dt.datetime | None:
        return add_years(self.anchor_date, self.years) if self.anchor_date and self.years > 0 else None

    def describe(self) -> str:
        if self.until is None:
            return f"{self.key}: no retention period configured"
        return f"{self.key}: {self.years} years from {self.counted_from} → {self.until:%Y-%m-%d}"


def retention_for(policy: RetentionSettings, doc_class: str, filed_at: dt.datetime) -> Retention | None:
    """The retention counted from ``filed_at`` for ``doc_class`` (the "filed" anchor), or None."""
    years = policy.years(doc_class)
    if years <= 0:
        return None
    return Retention(policy.mode, add_years(_aware(filed_at), years))


def rule_for(policy: RetentionSettings, record: Record) -> RetentionRule:
    """The rule that applies to ``record`` and the anchor date it yields from the record's fields."""
    doc_type = record.field_value("document_type")
    key = record.doc_class
    years, anchor = policy.years(record.doc_class), policy.anchor(record.doc_class)
    if isinstance(doc_type, str) and f"{record.doc_class}:{doc_type}" in policy.by_type:
        key = f"{record.doc_class}:{doc_type}"
        years, anchor = _parse_type_rule(key, policy.by_type[key])
    filed = _aware(record.filed_at or record.ingested_at)
    if years <= 0:
        return RetentionRule(key, 0, anchor, None, "")
    kind, _, field = anchor.partition(":")
    day = _date(record.field_value(field)) if field else None
    if kind == "fiscal-year-end" and day is not None:
        end = fiscal_year_end(day, policy.fiscal_year_end)
        return RetentionRule(key, years, anchor, _end_of(end),
                             f"the end of the fiscal year closing {end.isoformat()} ({field} {day.isoformat()})")
    if kind == "end-of-day" and day is not None:
        return RetentionRule(key, years, anchor, _end_of(day), f"{field} {day.isoformat()}")
    why = f" ({field} unknown)" if field else ""
    return RetentionRule(key, years, anchor, filed, f"filing on {filed:%Y-%m-%d}{why}")


def retention_of(policy: RetentionSettings, record: Record) -> Retention | None:
    """The retention the record's own dates call for, or None where its class keeps nothing."""
    until = rule_for(policy, record).until
    return Retention(policy.mode, until) if until else None


def filing_retention(policy: RetentionSettings, record: Record) -> Retention | None:
    """The retention to file the original with: its own dates' rule, if that ends in the future."""
    return retention_to_apply(retention_of(policy, record), None)


def retention_to_apply(wanted: Retention | None, current: Retention | None,
                       now: dt.datetime | None = None) -> Retention | None:
    """What to set on the original: ``wanted`` where it extends ``current``, else None (nothing to do).

    A correction that moves the date earlier never shortens what the store already holds, and a
    date already past is not set at all (Object Lock only takes future dates)."""
    now = now or dt.datetime.now(UTC)
    if wanted is None or wanted.until <= now:
        return None
    if current is not None and current.active(now):
        if current.until >= wanted.until:
            return None
        if current.mode == "COMPLIANCE":
            wanted = Retention("COMPLIANCE", wanted.until)
    return wanted


def effective_until(rule: RetentionRule, current: Retention | None) -> dt.datetime | None:
    """The later of what the rule asks and what the store holds: the day a document may go."""
    dates = [d for d in (rule.until, current.until if current else None) if d is not None]
    return max(dates) if dates else None


def fiscal_year_end(day: dt.date, month_day: str) -> dt.date:
    """The last day of the fiscal year ``day`` belongs to (``month_day`` "MM-DD", e.g. "12-31")."""
    month, mday = (int(p) for p in month_day.split("-"))
    end = _safe_date(day.year, month, mday)
    return end if day <= end else _safe_date(day.year + 1, month, mday)


def add_years(when: dt.datetime, years: int) -> dt.datetime:
    try:
        return when.replace(year=when.year + years)
    except ValueError:  # 29 February
        return when.replace(year=when.year + years, day=28)


def _parse_type_rule(key: str, text: str) -> tuple[int, str]:
    years, _, anchor = text.strip().partition(" ")
    if not years.isdigit() or not anchor.strip():
        from ..errors import ConfigError
        raise ConfigError(f'retention.by_type["{key}"] = {text!r}: write "YEARS ANCHOR", e.g. "10 fiscal-year-end:date"')
    return int(years), anchor.strip()


def _end_of(day: dt.date) -> dt.datetime:
    """The end of ``day``: the first instant of the next day, UTC."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), UTC)


def _safe_date(year: int, month: int, mday: int) -> dt.date:
    try:
        return dt.date(year, month, mday)
    except ValueError:  # 29 February, 31 of a short month
        return dt.date(year, month, 28 if month == 2 else 30)


def _date(value: object) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _aware(when: dt.datetime) -> dt.datetime:
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)
