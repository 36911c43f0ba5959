"""The day an image file says it was made: a phone's photo of a slip records when it was taken
(EXIF DateTimeOriginal), a scanner's TIFF or JPEG when it was scanned (DateTime), a scanner's
PDF when it was scanned (its CreationDate).

A sale is never after the photo of its slip, so that day bounds the slip's date more tightly
than today does (``extract.receipt_date_taken``). Cameras whose clock was never set write their
epoch (1970, 1980, 2000-01-01) or nothing at all, and a date ahead of today is a clock set
wrong: neither is a bound, and both are ignored.
"""

from __future__ import annotations

import datetime as dt
import re

from PIL import Image

_EXIF_IFD = 0x8769
_DATE_TIME_ORIGINAL = 0x9003  # when the photo was taken
_DATE_TIME_DIGITIZED = 0x9004  # when it was stored as an image (a scan of a film, a scanner)
_DATE_TIME = 0x0132  # when the file was last written: later than the other two, never earlier
# "2020:05:01 15:26:20" as the standard writes it; "2020/05/15 10:46:46" and "2020-05-15" as some
# scanners and editors do.
_STAMP = re.compile(r"\s*(\d{4})[:/.-](\d{2})[:/.-](\d{2})")
_PDF_STAMP = re.compile(r"\s*(?:D:)?(\d{4})(\d{2})(\d{2})")
# No camera or scanner that wrote EXIF made a photo before this: an earlier day is an unset clock.
_FIRST = dt.date(2000, 1, 2)


def image_taken(image: Image.Image, *, today: dt.date | None = None) -> str | None:
    """The earliest plausible day among the image's EXIF dates (ISO), or None."""
    try:
        exif = image.getexif()
        stamps = [exif.get(_DATE_TIME)]
        inner = exif.get_ifd(_EXIF_IFD)
        stamps += [inner.get(_DATE_TIME_ORIGINAL), inner.get(_DATE_TIME_DIGITIZED)]
    except Exception:  # noqa: BLE001 - a damaged EXIF block is no date, never a failed reading
        return None
    days = [day for stamp in stamps if (day := _plausible(_STAMP, stamp, today)) is not None]
    return min(days).isoformat() if days else None


def pdf_day(stamp: str | None, *, today: dt.date | None = None) -> str | None:
    """The day of a PDF date ("D:20240305101010+01'00'"), ISO, if plausible as above."""
    day = _plausible(_PDF_STAMP, stamp, today)
    return day.isoformat() if day is not None else None


def _plausible(pattern: re.Pattern, stamp: object, today: dt.date | None) -> dt.date | None:
    """The day ``stamp`` names, unless no stamp, no such day, or an unset or wrong clock's."""
    if isinstance(stamp, bytes):
        stamp = stamp.decode("ascii", "replace")
    match = pattern.match(stamp) if isinstance(stamp, str) else None
    if match is None:
        return None
    try:
        day = dt.date(*map(int, match.groups()))
    except ValueError:
        return None
    return day if _FIRST <= day <= (today or dt.date.today()) + dt.timedelta(days=1) else None
