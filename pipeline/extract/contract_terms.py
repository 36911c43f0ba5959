"""A contract's term: how long it runs, when it ends, how it renews.

Contracts rarely print the end date beside a label; they state a duration from the effective
date ("per la durata di 36 mesi", "for a period of three (3) years"), a range ("dal 01/01/2023
al 31/12/2023") or a date ("fino al 31 dicembre 2028"). The end date of a duration is the last
day of the term: 36 months from 2026-02-01 end on 2029-01-31. The clause read is kept as the
field's raw text so a reviewer sees where the date came from.

Patterns are linear: bounded gaps (``[^.]{0,80}``), no nested quantifiers over whitespace.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "eighteen": 18, "twenty-four": 24, "thirty": 30, "thirty-six": 36, "sixty": 60,
    "ninety": 90, "trenta": 30, "novanta": 90, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "twenty": 20, "twenty-five": 25, "forty-eight": 48, "quindici": 15, "venti": 20, "quarantotto": 48,
    "un": 1, "uno": 1, "una": 1, "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7, "otto": 8,
    "nove": 9, "dieci": 10, "undici": 11, "dodici": 12, "diciotto": 18, "ventiquattro": 24, "trentasei": 36,
    "sessanta": 60, "a": 1, "an": 1,
}
_NUMBER = r"(?P<count>\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
_ASIDE = r"(?: ?\((?:\d{1,3}|[a-z\-]{2,15})\))?"  # "three (3)", "36 (trentasei)"
_UNIT = r"(?P<unit>years?|months?|anni|anno|mesi|mese)\b"

# A duration: "durata di 36 mesi", "Durata 12 (dodici) mesi", "for a period of three (3) years",
# "term of two (2) years", "durata ... stabilita in anni 2" (unit first).
_DURATION = re.compile(
    r"\b(?:durata|term|continue\s+(?:in\s+(?:full\s+)?(?:force\s+and\s+)?effect\s+)?for|"
    r"remain\s+in\s+(?:full\s+)?(?:force\s+and\s+)?effect\s+for|(?:be|remain)\s+(?:effective|valid|in\s+force)\s+for|"
    # "shall expire two (2) years after the Effective Date", "end twenty-four (24) months thereafter"
    # Italian: "validità di 24 mesi", "efficacia per un periodo di tre anni", "in vigore per 2 anni",
    # "durerà due anni", "stipulato per un periodo di 36 mesi"
    r"validit[aà]|efficacia|in\s+vigore\s+per|durer[aà]|(?:stipulat|conclus)[oa]\s+per|"
    # "scadrà decorsi 12 mesi dalla sottoscrizione", "remain in force until the date that is two (2)
    # years after the Effective Date"
    r"(?:(?:scad|cess|termin)\w*\s+(?:decorsi|trascorsi)|until\s+the\s+(?:date\s+(?:that|which)\s+is|expiration\s+of|end\s+of))(?=\s+"
    + _NUMBER.replace("?P<count>", "?:") + _ASIDE + r"\s+" + _UNIT.replace("?P<unit>", "?:") + r")|"
    r"(?:expire|end|terminate)(?:\s+on\s+the\s+date\s+(?:that\s+is|which\s+is|falling))?(?=\s+"
    + _NUMBER.replace("?P<count>", "?:") + _ASIDE + r"\s+" + _UNIT.replace("?P<unit>", "?:")
    + r"\s+(?:after|thereafter|from|following)\b))\b"
    r"(?: ?:? ?|[^.;]{0,50}?(?:\b(?:of|for|di|in|is|be|pari a) |: ?))" + _NUMBER + _ASIDE + r"\s+" + _UNIT
    + r"|\bdurata\b[^.;]{0,40}?\b(?P<unit2>anni|anno|mesi|mese)\s+(?P<count2>\d{1,3}|"
    + "|".join(sorted((w for w in NUMBER_WORDS if len(w) > 2), key=len, reverse=True)) + r")\b",
    re.I)
# "durata triennale": the length as an adjective.
_LENGTHS = {"semestrale": (6, "month"), "annuale": (1, "year"), "biennale": (2, "year"), "triennale": (3, "year"),
            "quadriennale": (4, "year"), "quinquennale": (5, "year"), "novennale": (9, "year")}
_ADJECTIVE = re.compile(r"(?i)\bdurata (?:(?:pari a|di) )?(?:un[oa]? )?(?P<length>" + "|".join(_LENGTHS) + r")\b")
# "expire on the second anniversary of the Effective Date / of the date hereof".
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5}
# Also "continue until the second anniversary of the Effective Date", "through the third
# anniversary thereof", "on the second (2nd) anniversary of such date".
_ANNIVERSARY = re.compile(
    r"(?i)\b(?:expir\w*|terminat\w*|end\w*|until|through)\b(?: [^.;]{0,30}?)? (?:on )?the (?P<nth>"
    + "|".join(ORDINALS) + r")(?: \(\d(?:st|nd|rd|th)?\))? anniversary(?: of (?:the |this )?"
    r"(?P<of>effective date|[^.;]{0,40})| (?P<itself>thereof|hereof))")
# What an anniversary counts from when it is not this agreement's own date.
_FROM_START = ("effective", "commencement", "start", "such")

# Durations that are not the contract's own term.
_NOT_TERM = re.compile(r"(?i)(?:preavviso|notice|prior|prima|garanzi|warrant|conserva|retain|retention|"
                       r"dopo|after|surviv|sopravviv|successiv|rinnov|renew|proroga|ulteriore|additional|"
                       r"indeterminat|indefinite|confidential|riservatezza|non-compet|non\s+concorrenza|during|durante)")

_NOT_TERM_BEFORE = re.compile(r"(?i)(?:preavviso|notice|garanzia|warranty|prova|trial|cure)\s+(?:di\s+|of\s+)?(?:un\s+|a\s+)?$")

# A sentence about another period than the contract's (a warranty, notice, records kept).
_OTHER_TERM = re.compile(r"(?i)garanzi|warrant|confidential|riservatezza|preavviso|notice|conserva|retain|retention")

# On whitespace-collapsed text: single spaces, and each date starts with a non-space.
# A full stop inside a date ("01.02.2026") does not end the range.
_RANGE = re.compile(r"(?i)\b(?:dal|from|(?:term|durata|periodo|period) ?:) (?P<start>[^.;\s](?:[^.;]|\.(?=\d)){5,29}?) "
                    r"(?:al|to|until|through) (?P<end>[^.;\s](?:[^.;]|\.(?=\d)){5,29})")


@dataclass(frozen=True)
class Term:
    count: int
    unit: str  # "year" or "month"
    raw: str
    position: int


def durations(text: str) -> list[Term]:
    """Every stated duration of the contract's term, in order."""
    out: list[Term] = []
    for match in _DURATION.finditer(text):
        before = text[max(0, match.start() - 30) : match.start()]
        sentence = re.split(r"[.;:]\s", text[max(0, match.start() - 60) : match.start()])[-1]
        if _NOT_TERM.search(match.group(0)) or _NOT_TERM_BEFORE.search(before) or _OTHER_TERM.search(sentence):
            continue
        count_raw = match.group("count") or match.group("count2")
        unit_raw = (match.group("unit") or match.group("unit2")).lower()
        count = int(count_raw) if count_raw.isdigit() else NUMBER_WORDS.get(count_raw.lower())
        if not count:
            continue
        unit = "year" if unit_raw.startswith(("year", "ann")) else "month"
        out.append(Term(count, unit, match.group(0), match.start()))
    for match in _ADJECTIVE.finditer(text):
        sentence = re.split(r"[.;:]\s", text[max(0, match.start() - 60) : match.start()])[-1]
        if _OTHER_TERM.search(sentence):
            continue
        count, unit = _LENGTHS[match.group("length").lower()]
        out.append(Term(count, unit, match.group(0), match.start()))
    return sorted(out, key=lambda t: t.position)


def anniversary(text: str) -> tuple[int, bool, str, int] | None:
    """"shall expire on the second anniversary of the Effective Date": (years, counted from the
    effective date rather than the agreement's date, raw, position)."""
    match = _ANNIVERSARY.search(text)
    if match is None:
        return None
    of = (match.group("of") or "").lower()
    from_start = of.startswith(_FROM_START) or match.group("itself") == "thereof"
    return ORDINALS[match.group("nth").lower()], from_start, match.group(0), match.start()


def term_between(start: dt.date, end: dt.date) -> Term | None:
    """The initial term a contract states as two dates ("dal 1/3/2024 al 28/2/2025", "May 1, 2020
    to May 1, 2021"), in whole years or months, whether the end is the last day or the
    anniversary; None when the dates do not span whole months."""
    for months in range(1, 121):
        if end in (add_term(start, months, "month"), add_term(start, months, "month", anniversary=True)):
            if months % 12 == 0:
                return Term(months // 12, "year", "", -1)
            return Term(months, "month", "", -1)
    return None


def add_term(start: dt.date, count: int, unit: str, *, anniversary: bool = False) -> dt.date:
    """The last day of a term of ``count`` units starting on ``start`` (36 months from
    2026-02-01 end on 2029-01-31); with ``anniversary``, the anniversary itself, as US contracts
    read "one year from the Effective Date"."""
    months = count * 12 if unit == "year" else count
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    end = dt.date(year, month + 1, day)
    return end if anniversary else end - dt.timedelta(days=1)


def date_ranges(text: str, find_dates) -> list[tuple[dt.date, dt.date, str, int]]:
    """"dal 01/01/2023 al 31/12/2023", "from May 1, 2020 to April 30, 2021", "Term: May 1, 2020 to
    April 30, 2021": (start, end, raw, pos)."""
    out = []
    for match in _RANGE.finditer(text):
        start = find_dates(match.group("start"))
        end = find_dates(match.group("end"))
        if start and end and start[0][2] == 0 and end[0][2] == 0 and start[0][0] < end[0][0]:
            out.append((start[0][0], end[0][0], match.group(0), match.start()))
    return out


# -- renewal -----------------------------------------------------------------------------------
# "continue for successive periods": continuing is renewing only when the periods repeat (else
# it states the initial term: "shall continue for a period of three years").
_RENEW = (r"(?:rinnov\w*|rinnover\w*|prorog\w*|renew\w*|extend\w*|"
          r"continu\w*(?=[^.;]{0,30}?\b(?:successive|consecutive|(?:year|month)[\s-]to[\s-](?:year|month)|"
          r"from\s+(?:year|month)\s+to\s+(?:year|month))\b))")
# A renewal may be counted in days ("successive thirty (30) day periods"), a term is not.
_RENEWAL_UNIT = r"(?P<unit>years?|months?|days?|anni|anno|mesi|mese|giorni)\b"
# "di biennio in biennio": a period renewing itself, named by its length.
_EACH = {"anno": (1, "year"), "biennio": (2, "year"), "triennio": (3, "year"), "quadriennio": (4, "year"),
         "quinquennio": (5, "year"), "semestre": (6, "month"), "trimestre": (3, "month"), "mese": (1, "month")}
_RENEWAL = re.compile(
    r"(?i)\b" + _RENEW + r"\b[^.;]{0,80}?(?:"
    r"(?P<yearly>from\s+year\s+to\s+year|year[\s-]to[\s-]year|periodi\s+annuali|annual(?:ly|[ei])?\b|"
    r"ogni\s+anno\b|each\s+year\b(?!\s+for\b)|every\s+year\b)"
    r"|(?P<monthly>from\s+month\s+to\s+month|month[\s-]to[\s-]month|di\s+mese\s+in\s+mese|mensilmente)"
    r"|\bdi (?P<each>" + "|".join(_EACH) + r") in (?P=each)\b"
    r"|\bdi (?P<every>\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
    + r") (?P<every_unit>mesi|anni) in (?P=every) (?P=every_unit)\b"
    r"|(?P<same>(?:(?:periodi|period[oi]?|periods?|terms?)\s+(?:di\s+)?(?:uguale|pari|equal|the\s+same|identica|like)"
    r"\s+(?:durata|length|duration))|(?:per|for)\s+(?:un\s+|una\s+|an\s+|the\s+|a\s+)?(?:uguale|eguale|pari|identic[oa]|medesim[oa]|"
    r"equal|same|like)\s+(?:periodo|period|term|durata|duration)|"
    r"(?:per|for)\s+(?:un\s+|una\s+)?(?:periodo|durata)\s+(?:identic[oa]|uguale|eguale|equivalente)\b)"
    r"|(?P<one>\b(?:per|for) (?:un|an|one) (?:ulteriore|additional|further) (?:anno|year|mese|month)\b)"
    r"|\b(?:per|for) (?:un|una) (?:ulteriore|altro|nuovo) (?P<once>" + "|".join(_EACH) + r")\b"
    r"|\b(?:per|for) (?:periodi|period[oi]) (?:successivi )?di (?P<unit_first>anni|mesi) (?P<count_first>\d{1,3}|"
    + "|".join(sorted((w for w in NUMBER_WORDS if len(w) > 2), key=len, reverse=True)) + r")\b"
    # "for an unlimited number of successive …", "for five (5) successive …", "for additional, successive …"
    r"|\b(?:per|for) (?:(?:an? unlimited number of|up to \w+(?: \(\d{1,2}\))?|\w+ \(\d{1,2}\)|additional,) (?=successive))?"
    r"(?:(?:un|an?|one)(?: \(1\))? (?:or more )?)?"
    r"(?:(?P<succ>successiv\w*|ulterior\w*|additional|successive|subsequent|consecutive|further) )?"
    r"(?:(?:renewal )?(?:period[oi]?|periods?|terms?),? )?(?:(?P<succ2>successiv\w*|ulterior\w*|consecutiv\w*|subsequent) )?"
    r"(?:(?:di|of) )?"
    + _NUMBER + _ASIDE + r" ?(?:(?:additional|successive) )?-?" + _RENEWAL_UNIT + r")")
# "sarà prorogato di un anno", "shall be extended by one (1) year": once, by the period named.
_BY = re.compile(r"(?i)\b(?:prorogat\w*|rinnovat\w*|extended|renewed)\s+(?:(?:automaticamente|tacitamente|"
                 r"automatically)\s+)?(?:di|by)\s+" + _NUMBER + _ASIDE + r"\s+" + _UNIT)
# Renewed with no period stated: for the initial term again.
_AUTOMATIC = re.compile(r"(?i)\b(?:renew\w* automatically|automatically (?:be )?renew\w*|rinnov\w* (?:tacitamente|"
                        r"automaticamente)|(?:tacitamente|automaticamente) rinnov\w*)\b")
# After a renewal for one period, words that make it happen again and again.
_AGAIN = re.compile(r"(?i)[^.;]{0,25}?\b(?:on\s+each\s+anniversary|each\s+year|every\s+year|annually|"
                    r"ogni\s+anno|a\s+ogni\s+scadenza|alla\s+scadenza\s+di\s+ciascun|"
                    r"e\s+cos[iì]\s+(?:di\s+seguito|successivamente|via)|and\s+so\s+on|"
                    r"(?:and\s+)?thereafter\s+from\s+(?:year\s+to\s+year|time\s+to\s+time)|"
                    r"continue\s+to\s+(?:renew|be\s+renewed)|for\s+like\s+periods)")
_NO_RENEWAL = re.compile(r"(?i)(?:non\s+(?:è\s+)?previst|esclu\w*|not\s+(?:be\s+)?(?:automatically\s+)?renew|"
                         r"no\s+(?:automatic\s+)?renewal|senza\s+(?:alcun\s+)?rinnovo|"
                         r"non\s+(?:è\s+|sarà\s+)?(?:si\s+)?(?:tacitamente\s+|automaticamente\s+)?rinnov)")


def renewal(text: str, initial: Term | None) -> tuple[str, str, int] | None:
    """The renewal term in the style of the labels ("successive 1 year", "2 years"), its raw
    clause and position; None when the text renews nothing or excludes renewal."""
    for match in _RENEWAL.finditer(text):
        clause = match.group(0)
        around = text[max(0, match.start() - 40) : match.end()]
        if _NO_RENEWAL.search(around):
            continue
        if match.group("yearly"):
            return "successive 1 year", clause, match.start()
        if match.group("monthly"):
            return "successive 1 month", clause, match.start()
        if match.group("unit_first"):  # "per periodi successivi di anni due"
            raw = match.group("count_first")
            count = int(raw) if raw.isdigit() else NUMBER_WORDS[raw.lower()]
            unit = "year" if match.group("unit_first").lower() == "anni" else "month"
            return f"successive {count} {unit}{'s' if count > 1 else ''}", clause, match.start()
        if match.group("each"):
            count, unit = _EACH[match.group("each").lower()]
            return f"successive {count} {unit}{'s' if count > 1 else ''}", clause, match.start()
        if match.group("every"):
            count = int(match.group("every")) if match.group("every").isdigit() else NUMBER_WORDS[match.group("every")]
            unit = "year" if match.group("every_unit").lower().startswith("ann") else "month"
            return f"successive {count} {unit}{'s' if count > 1 else ''}", clause, match.start()
        if match.group("once"):
            count, unit = _EACH[match.group("once").lower()]
            return f"{count} {unit}{'s' if count > 1 else ''}", clause, match.start()
        if match.group("one"):
            unit = "year" if re.search(r"(?i)anno|year", match.group("one")) else "month"
            again = _AGAIN.match(text, match.end())  # "per un ulteriore anno, e così di seguito"
            return f"{'successive ' if again else ''}1 {unit}", clause, match.start()
        if match.group("same"):
            if initial is None:
                continue
            plural = "s" if initial.count > 1 else ""
            return f"successive {initial.count} {initial.unit}{plural}", clause, match.start()
        count_raw = match.group("count")
        count = int(count_raw) if count_raw.isdigit() else NUMBER_WORDS.get(count_raw.lower())
        if not count:
            continue
        unit_raw = match.group("unit").lower()
        unit = "year" if unit_raw.startswith(("year", "ann")) else "day" if unit_raw.startswith(("day", "giorn")) \
            else "month"
        # "for one (1) or more one (1) month periods", "for one (1) year renewal periods": the plural
        # may follow the unit
        plural = re.search(r"(?i)\b(?:periodi|periods|terms|successiv|successive|consecutive|ciascuno|each|or more)\b",
                           clause + text[match.end() : match.end() + 10]) or \
            re.match(r"(?i)\s+renewal\s+(?:periods|terms)\b", text[match.end() :match.end() + 20])
        # "for an additional one year period on each anniversary of the Effective Date": again and again
        # "per un anno e così di seguito", "… and thereafter from year to year", "and shall continue to renew"
        plural = plural or _AGAIN.match(text, match.end())
        succ = (match.group("succ") or match.group("succ2") or "").lower()
        if plural or succ.startswith(("successiv", "consecutiv")):
            return f"successive {count} {unit}{'s' if count > 1 else ''}", clause, match.start()
        if unit == "day":
            continue  # "extended for thirty (30) days" to cure or to notify: no renewal term
        return f"{count} {unit}{'s' if count > 1 else ''}", clause, match.start()
    for match in _BY.finditer(text):
        if not _NO_RENEWAL.search(text[max(0, match.start() - 40) : match.end()]):
            count = int(match.group("count")) if match.group("count").isdigit() else NUMBER_WORDS.get(
                match.group("count").lower())
            if count:
                unit = "year" if match.group("unit").lower().startswith(("year", "ann")) else "month"
                return f"{count} {unit}{'s' if count > 1 else ''}", match.group(0), match.start()
    if initial is not None:
        for match in _AUTOMATIC.finditer(text):
            if not _NO_RENEWAL.search(text[max(0, match.start() - 40) : match.end() + 20]):
                plural = "s" if initial.count > 1 else ""
                return f"successive {initial.count} {initial.unit}{plural}", match.group(0), match.start()
    return None
