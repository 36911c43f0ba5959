"""The merchant's name from a slip's header block, where it is printed over two lines.

Chains print their trading name (a brand, a restaurant's name) over the company that runs the
shop, the line with the legal form: "RESTORAN SERI MELATI / MELATI FOOD SERVICES SDN BHD",
"Bar Centrale / Centrale Ristorazione S.r.l.". Which of the two a person files as the merchant
varies (labellers take either, and Italian practice often both: "CENTRO CASA MAXI S.P.A."):
the honest answer names both, brand first, as a short legal line under a brand was already read.

OCR also misreads the legal form itself on small till print ("SON BHD" for "SDN BHD", "GMBN"):
the form then is not found, the line loses the credit a legal name gets, and the name is filed
misspelt. A misread is put right only where a known legal form is a letter or two away by
OCR's usual confusions (O/D, 5/S, 8/B, N/H), never for the short forms ("AG", "SRL") that
ordinary words are as near to.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from ..textnorm import compact, fold

# Lines of a speck or two between the brand and its legal name ("2", "@", "è"): a logo's edge.
_SPECK_CHARS = 3


def is_speck(text: str) -> bool:
    return sum(ch.isalnum() for ch in text) < _SPECK_CHARS


# A brand is printed large and read surely: a logo's edge read as letters ("| N on ee ee A") has
# words read at a few tens of per cent.
_SURE_WORD = 50.0


def read_surely(words: list[tuple[str, float]]) -> bool:
    """Every word of the line that holds a letter or a digit was read at ``_SURE_WORD`` or more."""
    scored = [conf for text, conf in words if any(ch.isalnum() for ch in text)]
    return bool(scored) and min(scored) >= _SURE_WORD


def sentence_like(text: str) -> bool:
    """A slogan rather than a name: three words or more, most of them starting lower-case
    ("Il gusto di una volta", "Fresh every day"); a name keeps its words capitalised, but for a
    particle or two ("Bar del Corso")."""
    words = [w for w in text.split() if w[:1].isalpha()]
    return len(words) >= 3 and sum(w[0].islower() for w in words) * 2 > len(words)


# The credit of the line just above the address when no line of the header carries a legal form:
# under a graphical logo and a slogan, the sole trader's name is printed over its address.
ABOVE_ADDRESS = 1.0


def is_branch(text: str, branch_words: list[str]) -> bool:
    """A branch line ("CAWANGAN SETIA ALAM", "(JOHOR BAHRU BRANCH)", "Filiale 0815", "PUNTO
    VENDITA 042"): it also stands over the address, and names where the shop is, not whose."""
    words = [compact(w) for w in text.split()]
    joined = f" {' '.join(words)} "
    return any(f" {' '.join(compact(p) for p in phrase.split())} " in joined for phrase in branch_words)


def trading_pair(texts: list[str], index: int, *, limit: int, is_legal: Callable[[int], bool],
                 is_name: Callable[[int], bool], is_brand: Callable[[int], bool]) -> tuple[int, int] | None:
    """The brand line and the legal-name line when the header prints the name over both: the
    chosen line ``index`` is one of them and the other is next to it (a speck line between
    allowed), both above ``limit`` (where the address starts). The brand is the first name the
    slip prints (no name-like line stands above it), read surely."""
    if index >= limit:
        return None
    if is_legal(index):
        upper = _next_line(texts, index, -1)
        if upper is not None and is_brand(upper) and not any(is_name(i) for i in range(upper)):
            return upper, index
    lower = _next_line(texts, index, +1)
    if lower is not None and lower < limit and is_legal(lower) and is_name(lower) and is_brand(index) \
            and not any(is_name(i) for i in range(index)):
        return index, lower
    return None


def _next_line(texts: list[str], index: int, step: int) -> int | None:
    """The neighbouring line, over one speck line."""
    at = index + step
    if 0 <= at < len(texts) and is_speck(texts[at]):
        at += step
    return at if 0 <= at < len(texts) and not is_speck(texts[at]) else None


# How unsurely a line may be read and still be the name: a line in the header that ends in a
# legal form, or stands over the registration number, is a name by what it says; the shop's
# name printed large or bold is read at a few tens of per cent, all its words right.
_NAME_FLOOR, _LEGAL_NAME_FLOOR = 0.45, 0.25
# The credit a header line gets for ending in a legal form or standing over the registration
# number (receipt._merchant's bonus): from it on, the lower floor.
_NAMED_BY_PLACE = 2.5


def unsure_name_floor(legal_bonus: float) -> float:
    """The lowest mean word confidence (0..1) at which a line may be the merchant's name."""
    return _LEGAL_NAME_FLOOR if legal_bonus >= _NAMED_BY_PLACE else _NAME_FLOOR


# OCR's usual confusions on till print, both ways: a misread letter and what was printed.
_CONFUSED = {frozenset(p) for p in ("od", "0d", "0o", "5s", "8b", "nh", "ih", "mn", "eb", "1l", "il", "1i", "6b",
                                    "2z", "ce", "un", "vy", "bh", "6g")}
# Legal forms this long or longer are repaired; a shorter one is as near to ordinary words.
_MIN_FORM = 4


@lru_cache(maxsize=8)
def _forms(keys: tuple[str, ...]) -> tuple[frozenset[str], dict[int, list[str]]]:
    """The forms as a set, and those long enough to repair by their length."""
    by_length: dict[int, list[str]] = {}
    for form in keys:
        if len(form) >= _MIN_FORM:
            by_length.setdefault(len(form), []).append(form)
    return frozenset(keys), by_length


def repair_legal_form(text: str, keys: list[str]) -> str:
    """``text`` with its closing legal form put right where OCR misread a letter or two of it
    ("MAJU JAYA SON BHD" → "MAJU JAYA SDN BHD"); unchanged when it already ends in one, or when
    no known form is near enough. ``keys``: the legal forms, compacted, longest first."""
    words = text.split()
    if len(words) < 2:
        return text
    known, by_length = _forms(tuple(keys))
    # The longest tail first: "SON BHD" is a misread "SDN BHD" though "BHD" alone is a form.
    for n in range(min(4, len(words) - 1), 0, -1):  # "GmbH & Co. KG": four words
        tail = " ".join(words[-n:])
        key = compact(tail)
        if key in known:
            return text
        for form in by_length.get(len(key), ()):
            wrong = [i for i, (a, b) in enumerate(zip(key, form)) if a != b]
            confused = all(frozenset((key[i], form[i])) in _CONFUSED for i in wrong)
            if confused and 0 < len(wrong) <= max(1, len(form) // 3):
                return " ".join(words[:-n] + [_respell(tail, form)])
    return text


# A letter OCR read as the digit it resembles, inside a word of letters ("0MEGA TRADING", "SH0P").
_AS_LETTER = {"0": "O", "5": "S", "8": "B", "1": "I"}


def letters_for_digits(text: str) -> str:
    """Words of letters with a digit or two read in place of a letter put right, in upper-case
    words only (a lower-case "1" is as likely an l as an i): "0MEGA TRADING" → "OMEGA TRADING".
    A word of one letter ("3M", "U2"), with other digits ("A4"), ending in its digits (a code,
    "KL8", "CS80") or joined to another by a dot or a dash ("7-ELEVEN", "N0.5") is left alone."""
    out = []
    for word in text.split(" "):
        digits = [ch for ch in word if ch.isdigit()]
        letters = sum(ch.isalpha() for ch in word)
        if word.isalnum() and word.upper() == word and letters >= 2 and 0 < len(digits) <= 2 \
                and all(d in _AS_LETTER for d in digits) and not word[-1].isdigit():
            word = "".join(_AS_LETTER.get(ch, ch) for ch in word)
        out.append(word)
    return " ".join(out)


def _respell(tail: str, form: str) -> str:
    """The printed tail with its letters replaced by the form's, keeping its punctuation,
    spacing and case ("SON. BHD" → "SDN. BHD")."""
    if sum(ch.isalnum() for ch in tail) != len(form):
        return tail  # a letter folding changes the count ("ß"): better left as printed
    out, at = [], 0
    for word in tail.split(" "):
        letters = [ch for ch in word if ch.isalpha()]
        for ch in word:
            if not ch.isalnum():
                out.append(ch)
                continue
            right = form[at]
            at += 1
            if ch.lower() == right:
                out.append(ch)
                continue
            # A misread letter takes its word's case when the rest of the word is one case
            # ("TRADlNG" → "TRADING"), else its own ("GmbN" → "GmbH"); a digit its word's.
            others = [c for c in letters if c is not ch]
            upper = all(c.isupper() for c in others) if others and (ch.isdigit() or all(
                c.isupper() for c in others) or all(c.islower() for c in others)) else ch.isupper()
            out.append(right.upper() if upper else right)
        out.append(" ")
    return "".join(out)[:-1]


# -- where else a slip names its merchant --------------------------------------------------------
# Under a graphical logo no line over the address prints the name; a slip still says whose it is
# elsewhere: its greeting ("Vielen Dank für Ihren Einkauf bei BACKSTUBE KORN", "Grazie per aver
# scelto CONAD", "THANK YOU FOR SHOPPING AT AEON"), its web or mail address. Each is weaker
# evidence than a printed name, and filed with less confidence.

def named_in_greeting(text: str, greetings: list[str], before_name: list[str], not_names: list[str]) -> str | None:
    """The name a greeting line gives the shop: what follows the first of ``before_name`` ("bei",
    "at", "scelto") after a greeting word ("Dank", "grazie", "thank you", "willkommen"), up to the
    sentence's end; None when the line is no greeting or names no one ("… shopping with us")."""
    folded = fold(text)
    words = re.findall(r"[^\W_]+", folded)
    greeted = _first_phrase(words, greetings, 0)
    if greeted is None:
        return None
    stops = {fold(w) for w in not_names}
    at = greeted
    while (found := _first_phrase(words, before_name, at)) is not None:
        # The word found, in the printed text: its position in words of letters and digits.
        name = _words_after(text, found)
        name = re.split(r"[!,;:?]| - ", name)[0].strip(" '\"*-")
        first = fold(name.split()[0]) if name.split() else ""
        # "… with us", "… at the shop": no name; "AT THE BODY SHOP" in capitals is one.
        if name and (first not in stops or name.isupper()) and sum(ch.isalpha() for ch in name) >= 3 and len(name.split()) <= 5 \
                and not sentence_like(name):
            return name
        at = found
    return None


def _first_phrase(words: list[str], phrases: list[str], start: int) -> int | None:
    """The index of the word after the first of ``phrases`` (word sequences) found at ``start``
    or later."""
    best = None
    for phrase in phrases:
        parts = fold(phrase).split()
        for i in range(start, len(words) - len(parts) + 1):
            if words[i:i + len(parts)] == parts:
                if best is None or i + len(parts) < best:
                    best = i + len(parts)
                break
    return best


def _words_after(text: str, count: int) -> str:
    """``text`` after its first ``count`` words of letters and digits."""
    matches = list(re.finditer(r"[^\W_]+", text))
    return text[matches[count].start():] if count < len(matches) else ""


# A web address ("www.roller.de", "ww.roller.de": OCR lost a w) or a mail address's domain; OCR
# of till print puts a blank around a dot, doubles a dot, or reads the one after "www" as a comma
# ("www. aeon.com.my", "www .99-speed-mart", "www, 99-speed-mart", "frischemarkt .de", "mart.. com.my"). The top-level domain is a country's or a short generic
# one: a longer run of letters after a dot is a misread word ("S@rvizio.eliant").
_DOMAIN = r"((?:[a-z0-9][a-z0-9-]{0,40}\s?\.\.?\s?){1,3}(?:[a-z]{2,3}|info|shop|store|online))\b"
_WEB = re.compile(r"(?i)(?<![\w@.])(?:https?://)?w{2,3}\s?[.,]\s?" + _DOMAIN)
_MAIL = re.compile(r"(?i)[\w.+-]+@" + _DOMAIN)
# Second-level labels under a country's code: "shop.com.my", "example.co.uk".
_SECOND_LEVEL = {"com", "co", "net", "org", "gov", "edu", "ac", "or", "ne"}


def domain_brand(text: str, services: list[str]) -> tuple[str, str] | None:
    """The brand a line's web or mail address names, and the address as printed:
    "www.backstube-korn.de" → "BACKSTUBE KORN", "info@rossi-ferramenta.it" → "ROSSI
    FERRAMENTA". None for a mail provider's or a service's domain (``services``: "gmail",
    "ingenico"; also misread by a letter, "gmaii"), or a government site
    ("lotteriadegliscontrini.gov.it")."""
    for pattern in (_WEB, _MAIL):
        for match in pattern.finditer(text):
            labels = re.split(r"\s*\.+\s*", match.group(1).lower())
            if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
                labels = labels[:-1]
            if len(labels) < 2 or "gov" in labels:
                continue
            name = labels[-2]
            if sum(ch.isalpha() for ch in name) < 3 or any(_one_apart(name, s) for s in services):
                continue
            return name.replace("-", " ").upper(), match.group(0)
    return None


def _one_apart(word: str, known: str) -> bool:
    """``word`` is ``known``, or (for five letters and more) ``known`` with one letter misread,
    dropped or added."""
    if word == known:
        return True
    if len(known) < 5 or abs(len(word) - len(known)) > 1:
        return False
    if len(word) == len(known):
        return sum(a != b for a, b in zip(word, known)) == 1
    short, long_ = sorted((word, known), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


# A logo OCR read as letters: one short word ("LDL", "Wii", "LoD."), however surely read.
_FRAGMENT_LETTERS = 5


def logo_fragment(text: str, words: list[tuple[str, float]]) -> str | None:
    """"unsure" when the line is one short word read below ``_SURE_WORD`` (a logo's strokes),
    "short" when it is one short word read surely (a logo read as letters, or a short brand:
    only other evidence tells), else None."""
    tokens = [w for w in text.split() if any(ch.isalnum() for ch in w)]
    if len(tokens) != 1 or sum(ch.isalpha() for ch in tokens[0]) > _FRAGMENT_LETTERS:
        return None
    return "short" if read_surely(words) else "unsure"
