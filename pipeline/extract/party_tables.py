"""Parties printed in a table instead of a sentence, as Italian contracts often do:

* a label cell and the name beside it: "Denominazione | ACME S.r.l.", "Nome e cognome | Mario
  Rossi", also two parties side by side on one row ("Denominazione: A S.p.A.   Denominazione: B");
* a role cell and the party's description beside it: "Fornitore | ACME S.r.l., con sede in …,
  P.IVA …" (condizioni particolari, dati del contratto).

Cells are found from the words' positions: a horizontal gap wider than about two characters'
height separates them.
"""

from __future__ import annotations

import re

from ..textnorm import compact
from .layout import Layout
from .parties import clean_name, plausible

_OPENING_LINES = 80
# What a party's description starts with, after its name in a role row. The space run is taken
# whole, from its first character only: tried at every space of a long run it was quadratic.
_DESCRIBED = re.compile(r"(?i),?(?<!\s)\s++(?:con\s+sede|sede\s+legale|nat[oa]\s+a|residente|c\.\s?f\.|p\.\s?iva|"
                        r"codice\s+fiscale|partita\s+iva|with\s+(?:its\s+)?(?:registered\s+)?(?:office|seat)|"
                        r"having\s+its|a\s+company)\b")


def cells(layout: Layout, *, max_lines: int = _OPENING_LINES) -> list[list[str]]:
    """The opening lines as lists of cells (text runs split at wide gaps)."""
    return [[text for text, _, _ in row] for row in placed_cells(layout, max_lines=max_lines)]


def placed_cells(layout: Layout, *, max_lines: int = _OPENING_LINES) -> list[list[tuple[str, float, float]]]:
    """The opening lines as lists of cells, each with where it starts and the height of its words."""
    rows: list[list[tuple[str, float, float]]] = []
    for span in layout.spans()[:max_lines]:
        words = span.words
        if not words:
            continue
        height = max(1.0, sorted(w.y1 - w.y0 for w in words)[len(words) // 2])
        row: list[list] = [[words[0].x0, words[0].text]]
        for before, word in zip(words, words[1:]):
            if word.x0 - before.x1 > 1.6 * height:
                row.append([word.x0])
            row[-1].append(word.text)
        rows.append([(" ".join(c[1:]), c[0], height) for c in row])
    return rows


def _continued(name: str, placed: list[list[tuple[str, float, float]]], number: int, index: int,
               labels: list[str], roles: set[str]) -> str:
    """A name a table cell wraps onto the next line ("Denominazione: Costruzioni Meccaniche" over
    "Riunite S.r.l."): the next row's cell that starts where this cell starts, when the name
    then ends in its legal form. A name that has its form already, a next cell that is a label,
    a role or a "Label: value" is no continuation."""
    if LEGAL_FORM.search(name.strip(" ,;")) or number + 1 >= len(placed) or index >= len(placed[number]):
        return name
    _, x, height = placed[number][index]
    if index > 0:
        # The next line's cell under this row's label: the label wrapping too ("Ditta" over
        # "Manutentrice"), or the label of the table's next row ("Rossi | Rossi Forniture S.r.l., …",
        # "Cliente | …") after a row that holds no name ("Contratto n. | 2024/117").
        label_x = placed[number][index - 1][1]
        below = [(t, x0) for t, x0, _ in placed[number + 1] if abs(x0 - label_x) <= 1.5 * height]
        value = next((t for t, x0, _ in placed[number + 1] if abs(x0 - x) <= 1.5 * height), "")
        if below and (re.search(r"\d", name) or compact(below[0][0]) in roles or compact(below[0][0]) in labels
                      or compact(value).startswith(compact(below[0][0]))):
            return name
    for text, x0, _ in placed[number + 1]:
        if abs(x0 - x) > 1.5 * height:
            continue
        head = text.split(",")[0]
        described = _DESCRIBED.search(text)
        head = text[: described.start()] if described else head
        head = head.strip(" ,;")
        if not head or ":" in head or compact(head) in labels or compact(head.split()[0]) in roles \
                or not head[:1].isupper() and not head.startswith("&") and not LEGAL_FORM.match(head):
            return name
        joined = f"{name.rstrip()} {head}"
        return joined if LEGAL_FORM.search(joined) and len(head.split()) <= 5 else name
    return name


def table_parties(layout: Layout, rules: dict) -> list[str]:
    """Party names from label cells and role rows of the opening; [] when the opening has none."""
    labels = [compact(l) for l in rules.get("name_labels", [])]
    roles = {compact(r) for r in rules.get("roles", [])}
    names: list[str] = []
    placed = placed_cells(layout)
    rows = [[text for text, _, _ in row] for row in placed]
    wrapped_rows: set[int] = set()  # the second lines of wrapped role rows
    for number, row in enumerate(rows):
        for index, cell in enumerate(row):
            following = row[index + 1] if index + 1 < len(row) else ""
            beside = following
            if not following and len(row) == 1 and number + 1 < len(rows):
                # OCR reads a table's label cell and its value as lines of their own.
                following = rows[number + 1][0]
                if _labelled(following, "", labels) is not None or compact(following) in labels:
                    following = ""
            name = _labelled(cell, following, labels)
            if name is not None and following and not beside:
                pass  # the value is the next line's: no wrapped name to look for below it
            elif name is not None:
                # The name sits in this cell ("Denominazione: …") or the one beside it.
                at = index if _labelled(cell, "", labels) else index + 1
                name = clean_name(_continued(name, placed, number, at, labels, roles))
            if name is None and index == 0 and len(row) >= 2 and number not in wrapped_rows:
                name = _role_row(cell, row[1], roles)
                if name is None and not _DESCRIBED.search(row[1]):
                    # "Fornitore | Costruzioni Meccaniche Riunite" over "S.r.l., con sede in …", the role
                    # wrapping with it ("Ditta | …" over "Manutentrice | S.r.l., con sede in …")
                    wrapped = _continued(row[1].strip(" ,"), placed, number, 1, labels, roles)
                    if wrapped != row[1].strip(" ,") and number + 1 < len(rows):
                        below = placed[number + 1]
                        value = next(t for t, x0, h in below if abs(x0 - placed[number][1][1]) <= 1.5 * h)
                        described = wrapped + ", " + value.split(",", 1)[-1]
                        label = cell
                        if below[0][0] != value:
                            label = f"{cell} {below[0][0]}"
                        name = _role_row(cell, described, roles) or _role_row(label, described, roles)
                        if name:
                            wrapped_rows.add(number + 1)
            if name and plausible(name, rules) and not any(compact(name) == compact(n) for n in names):
                names.append(name)
    return names


def _labelled(cell: str, following: str, labels: list[str]) -> str | None:
    """'Denominazione: ACME' in one cell, or 'Denominazione' with the name in the next cell."""
    head, sep, rest = cell.partition(":")
    key = compact(head)
    if key in labels or (sep and misread_of(key, labels)):
        value = rest.strip() if sep and rest.strip() else following
        return clean_name(value) or None
    words = cell.split()  # "Denominazione ACME S.r.l." read as one run
    heads = [compact(" ".join(words[:n])) for n in range(1, min(4, len(words)))]  # the same for every label
    for label in labels:
        for n, head in enumerate(heads, 1):
            if head == label:
                return clean_name(" ".join(words[n:])) or None
    return None


def misread_of(key: str, words) -> bool:
    """Whether ``key`` is a long label or role word as OCR misreads it on a scan: "Denommazione",
    "Denonunazione" (m / nu for mi, in), "Licenziatano" (n for ri): within two edits of exactly
    one of ``words`` when it is ten letters or more, one edit from seven."""
    allowed = 2 if len(key) >= 10 else 1 if len(key) >= 7 else 0
    if not allowed:
        return False
    near = [w for w in words if abs(len(w) - len(key)) <= allowed and _edits(key, w, allowed) <= allowed]
    return len(near) == 1


def _edits(a: str, b: str, bound: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``bound + 1`` once it exceeds ``bound``."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > bound:
            return bound + 1
        previous = current
    return previous[-1]


def _role_row(first: str, second: str, roles: set[str]) -> str | None:
    """'Fornitore | ACME S.r.l., con sede in …': a role (or a short alias) and a described party."""
    if len(first.split()) > 3 or not first[:1].isupper():
        return None
    described = _DESCRIBED.search(second)
    if described is None:
        return None
    name = second[: described.start()].strip(" ,")
    if compact(first) not in roles and not misread_of(compact(first), roles) \
            and not compact(name).startswith(compact(first)):
        return None  # neither a role nor the short name the contract then uses
    return clean_name(name) or None


# A company's legal form at the end of a name (OCR reads the l of "S.r.l." as I or 1).
LEGAL_FORM = re.compile(
    r"(?i)(?:\bS\.?\s?[rR]\.?\s?[lLI1]\.?(?:\s?s\.?)?|\bS\.?\s?p\.?\s?A\.?|\bS\.?\s?n\.?\s?c\.?|"
    r"\bS\.?\s?a\.?\s?s\.?|\bS\.?\s?c\.?\s?a\.?\s?r\.?\s?l\.?|\bcoop\.?|\bInc\.?|\bLLC|\bL\.L\.C\.|\bLtd\.?|"
    r"\bLimited|\bCorp\.?|\bCorporation|\bGmbH|\bAG|\bPLC|\bS\.A\.?|\bB\.V\.?|\bN\.V\.?|"
    r"&\s?C\.?)$")  # "S.a.s. di Luca Bianchi & C.": a partnership named after its partner and company
# A signature block's heading cell: "Per il Fornitore", "Per Vitali", "IL CLIENTE", "For the Supplier".
_SIGNING_FOR = re.compile(r"(?i)^(?:per|for)\s+\S|^(?:il|la|l['’]|lo)\s*\S")
_SIGNATURE_REACH = 6


def signature_parties(layout: Layout, rules: dict) -> list[str]:
    """Companies named under a signature block's headings, as Italian contracts print them:
    "Per il Fornitore | Per il Cliente" (or "IL CLIENTE | IL FORNITORE"), then, a few lines down,
    each company's name in its column. Only names that end in a legal form are taken: the
    person signing is the company's representative, not a party."""
    roles = {compact(r) for r in rules.get("roles", [])}
    rows = cells(layout, max_lines=len(layout.spans()))
    for number, row in enumerate(rows):
        if len(row) < 2 or not all(_signing_heading(cell, roles) for cell in row):
            continue
        for below in rows[number + 1 : number + 1 + _SIGNATURE_REACH]:
            names = [clean_name(cell) for cell in below if LEGAL_FORM.search(cell.strip(" ,;"))]
            names = [n for n in names if plausible(n, rules)]
            if len(names) >= 2:
                return names
    return []


def _signing_heading(cell: str, roles: set[str]) -> bool:
    if len(cell.split()) > 5 or not _SIGNING_FOR.search(cell):
        return False
    if re.match(r"(?i)(?:per|for)\s", cell):
        return True
    return compact(re.sub(r"(?i)^(?:il|la|l['’]|lo)\s*", "", cell)) in roles


def described_parties(layout: Layout, rules: dict) -> list[str]:
    """Lines of the opening that start with a company and its description ("ACME S.r.l., con sede
    in …, P.IVA …"): the parties of a table whose label column OCR did not read."""
    names: list[str] = []
    for span in layout.spans()[:_OPENING_LINES]:
        text = " ".join(span.text.split())
        described = _DESCRIBED.search(text)
        if described is None or described.start() == 0:
            continue
        head = text[: described.start()].strip(" ,")
        if LEGAL_FORM.search(head) and plausible(head, rules) and not any(compact(head) == compact(n) for n in names):
            names.append(clean_name(head))
    return names
