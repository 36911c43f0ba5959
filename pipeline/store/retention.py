"""Retention of filed originals: how long each document class is kept unchangeable.

The policy lives in the ``[retention]`` settings (years per class, Object Lock mode); this module
only turns it into the ``Retention`` a store applies. The clock starts when the original is
filed; a retain-until date falling on 29 February in a non-leap year moves to 28 February.
"""

from __future__ import annotations

import datetime as dt

from ..config import RetentionSettings
from .base import Retention


def retention_for(policy: RetentionSettings, doc_class: str, filed_at: dt.datetime) -> Retention | None:
    """The retention an original of ``doc_class`` filed at ``filed_at`` gets, or None (not kept locked)."""
    years = policy.years(doc_class)
    if years <= 0:
        return None
    start = filed_at if filed_at.tzinfo else filed_at.replace(tzinfo=dt.timezone.utc)
    return Retention(policy.mode, add_years(start.astimezone(dt.timezone.utc), years))


def add_years(when: dt.datetime, years: int) -> dt.datetime:
    try:
        return when.replace(year=when.year + years)
    except ValueError:  # 29 February
        return when.replace(year=when.year + years, day=28)
