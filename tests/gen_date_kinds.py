"""Generated till slips whose date is printed in the forms real tills and POS systems use beyond
``gen_slips.DATE_FORMS`` (Malaysia, Italy, Germany, the UK, the US), and as OCR reads them.

``slip(seed, kind, form)`` is ``gen_slips.slip`` with its date line printed in ``form`` (see
``FORMS``); the slip's other lines, its fields and its traits are gen_slips' own (trait "date_kind"
added), so the same slip can be scored as text (``rows``) or rendered and read with Tesseract
(``gen_slips.render``). Every form prints the sale's date once; some print other date-like figures
beside it (a time with dots, a card's expiry, a batch number).
"""

from __future__ import annotations

import datetime as dt
import random

from gen_slips import Slip
from gen_slips import rows as slip_rows
from gen_slips import slip as base_slip

_MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
# Month names a till of the slip's country prints (Malay: Mac, Mei, Ogos, Dis; Italian; German).
_LOCAL_MON = {
    "my": ["JAN", "FEB", "MAC", "APR", "MEI", "JUN", "JULAI", "OGOS", "SEP", "OKT", "NOV", "DIS"],
    "it": ["GEN", "FEB", "MAR", "APR", "MAG", "GIU", "LUG", "AGO", "SET", "OTT", "NOV", "DIC"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"],
}
_WEEKDAY = {"my": ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"],
            "it": ["LUN", "MAR", "MER", "GIO", "VEN", "SAB", "DOM"],
            "de": ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]}
_LABEL = {"my": "DATE:", "it": "DATA", "de": "Datum:"}
_LOCAL_LABEL = {"my": "Tarikh:", "it": "Data:", "de": "Datum"}
# OCR's letters for digits on thermal print.
_LETTER_FOR = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z"}


def _clock(when: dt.datetime, sep: str = ":") -> str:
    return f"{when:%H}{sep}{when:%M}{sep}{when:%S}"


def _lettered(text: str, rng: random.Random) -> str:
    """One digit of ``text`` that OCR confuses with a letter, read as that letter."""
    places = [i for i, ch in enumerate(text) if ch in _LETTER_FOR]
    if not places:
        return text
    i = rng.choice(places)
    letter = _LETTER_FOR[text[i]]
    if letter == "I" and rng.random() < 0.5:
        letter = "l"
    return text[:i] + letter + text[i + 1:]


def _split(text: str, rng: random.Random) -> str:
    """A space OCR read inside one of the date's figures: "3 0/03/2018", "30/03/2 018"."""
    date = text.split(" ")[-1]
    at = len(text) - len(date)
    places = [i for i in range(1, len(date)) if date[i - 1].isdigit() and date[i].isdigit()]
    i = at + rng.choice(places)
    return text[:i] + " " + text[i:]


# Each form: (when, slip kind, rng) -> the lines printed where the date's line was.
FORMS = {
    "mon_dd_yyyy": lambda w, k, r: [f"{_MON[w.month - 1]} {w.day:02d}, {w.year} {_clock(w)}"],
    "MON_dd_yyyy": lambda w, k, r: [f"{_MON[w.month - 1].upper()} {w.day:02d} {w.year} {_clock(w)}"],
    "dd-Mon-yy": lambda w, k, r: [f"{w.day:02d}-{_MON[w.month - 1]}-{w:%y} {_clock(w)}"],
    "dd-MON-yyyy": lambda w, k, r: [f"{_LABEL[k]} {w.day:02d}-{_MON[w.month - 1].upper()}-{w.year}"],
    "yyyy/mm/dd": lambda w, k, r: [f"{w:%Y/%m/%d} {_clock(w)}"],
    "dd.mm.yy_dotted_time": lambda w, k, r: [f"{w:%d.%m.%y} {_clock(w, '.')}"],
    "dotted_time_first": lambda w, k, r: [f"{_clock(w, '.')} {w:%d.%m.%y}"],
    "glued_label": lambda w, k, r: [f"{_LABEL[k].rstrip(':')}:{w:%d/%m/%Y} {_clock(w)}"],
    "glued_time": lambda w, k, r: [f"{w:%d/%m/%Y}{_clock(w)[:5]}"],
    "in_docno_line": lambda w, k, r: [f"No.{r.randint(10000, 99999)} {w:%d/%m/%Y} {_clock(w)[:5]}"],
    "weekday_before": lambda w, k, r: [f"{_WEEKDAY[k][w.weekday()]} {w:%d/%m/%Y} {_clock(w)[:5]}"],
    "weekday_after": lambda w, k, r: [f"{w:%d/%m/%Y} ({_WEEKDAY[k][w.weekday()]}) {_clock(w)[:5]}"],
    "local_month": lambda w, k, r: [f"{w.day:02d}{'.' if k == 'de' else ''} {_LOCAL_MON[k][w.month - 1]} {w.year}"
                                    f" {_clock(w)[:5]}"],
    "local_label": lambda w, k, r: [f"{_LOCAL_LABEL[k]} {w:%d-%m-%Y} {_clock(w)[:5]}"],
    "label_next_line": lambda w, k, r: [_LABEL[k], f"{w:%d/%m/%Y} {_clock(w)}"],
    "spaced": lambda w, k, r: [f"{w.day:02d} / {w.month:02d} / {w.year} {_clock(w)[:5]}"],
    "letters": lambda w, k, r: [f"{_LABEL[k]} {_lettered(f'{w:%d/%m/%Y}', r)} {_clock(w)}"],
    "letters_month_first": lambda w, k, r: [f"{_lettered(f'{_MON[w.month - 1]} {w.day:02d}, {w.year}', r)} {_clock(w)}"],
    "split_figure": lambda w, k, r: [_split(f"{_LABEL[k]} {w:%d/%m/%Y}", r) + f" {_clock(w)[:5]}"],
    "apostrophe_year": lambda w, k, r: [f"{w.day:02d} {_MON[w.month - 1]}'{w:%y} {_clock(w)[:5]}"],
    "compact_before_time": lambda w, k, r: [f"{w:%Y%m%d} {_clock(w)}"],
    "expiry_above": lambda w, k, r: [f"CARD EXP {r.randint(1, 12):02d}/{(w.year + 3) % 100:02d}",
                                     f"{w:%d/%m/%Y} {_clock(w)[:5]}"],
    "batch_above": lambda w, k, r: [f"LOT {r.randint(10, 28):02d}.{r.randint(1, 12):02d}.{r.randint(10, 29):02d}",
                                    f"{w:%d.%m.%Y} {_clock(w)[:5]}"],
}


def slip(seed: int, kind: str, form: str) -> Slip:
    """gen_slips' slip ``seed`` of ``kind`` with its date printed in ``form`` (a key of ``FORMS``,
    or "footer": the usual date line printed last, under the footer's greeting)."""
    base = base_slip(seed, kind, date="dd/mm/yyyy", time="after")
    when_day = dt.date.fromisoformat(base.fields["date"])
    printed = f"{when_day:%d/%m/%Y}"
    at = next(i for i, line in enumerate(base.lines) if printed in line)
    lines = list(base.lines)
    if form == "footer":
        lines.append(lines.pop(at))
    else:
        rng = random.Random(seed * 97 + len(form))
        when = dt.datetime.combine(when_day, dt.time(rng.randint(8, 21), rng.randint(0, 59), rng.randint(0, 59)))
        lines[at:at + 1] = FORMS[form](when, kind, rng)
    return Slip(lines, dict(base.fields), {**base.traits, "date_kind": form})


def rows(s: Slip) -> list[list[tuple[str, float]]]:
    """The slip's lines as positioned words (what OCR gives)."""
    return slip_rows(s.lines)


ALL_FORMS = (*FORMS, "footer")
