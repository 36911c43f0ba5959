"""Who a contract binds, from three places a reader looks:

* the preamble: "... by and between ACME Inc., a Delaware corporation ("ACME"), and John Smith";
* defined names: any name the opening gives a party's role as its alias: 'Ann Taylor, Inc. (the
  "Company")', 'Greatbatch, Inc. ("you")';
* the signature block: a person who signs for themselves ("/s/ Jane Doe" with no "By:" before
  it: an officer signs "By:" on behalf of a company).

The words (intro phrases, joiners, role names) come from ``config/fields.toml``.
"""

from __future__ import annotations

import re

from ..textnorm import compact

_PARTY_CHARS = 900
_MAX_PARTIES = 8

_ALIAS = re.compile(r"\((?:[^()]|\([^()]*\))*\)")  # ("Company"), (the “Seller”), (hereinafter ...)
_QUOTED = re.compile(r"(?<![^\W\d_])[\"“”'‘’«]([^\"“”‘’«»]{1,40})[\"“”'‘’»]")  # not an apostrophe: "d'ora"
_ABBREVIATIONS = {"inc", "ltd", "co", "corp", "no", "nos", "st", "mr", "ms", "mrs", "dr", "jr", "sr", "n.v", "b.v",
                  "s.a", "l.p", "l.l.c", "u.s", "s.p.a", "s.r.l", "p.c", "n.a", "plc", "llc", "bhd", "pte", "pty",
                  "a.g", "s.a.s", "etc",
                  # Italian titles and abbreviations inside a party's description
                  "sig", "sigg", "sig.ra", "dott", "dott.ssa", "avv", "ing", "arch", "geom", "rag", "prof", "spett",
                  "p.iva", "c.f", "soc", "coop", "s.n.c", "s.r.l.s", "rappr", "rif"}
# Where a party's name ends and its description begins.
# The leading whitespace is taken whole, once, at the start of its run ((?<!\s) and \s*+); the
# alternatives that needed more of it look behind instead. The same matches as "\s*(...|\s+...)",
# without trying every split of a long run of blanks or form feeds (42 s at 1,000 characters).
_DESCRIPTION = re.compile(
    r"(?<!\s)\s*+(?:\||,\s*(?:an?|the|with|having|whose|located|organized|incorporated|existing|acting|residing|"
    r"domiciled|its|each|both|on behalf|individually|an individual|individual|c/o|dated|pursuant)\b|,\s*\d|"
    r"(?<=\s)(?:an?|each)\s+(?:_|\[|[A-Z][a-z]+\s+(?:corporation|company|limited|partnership|banking|association|"
    r"general|national|state|business|non-profit|nonprofit|not-for-profit)|corporation|company|limited|"
    r"partnership|individual|resident|banking|national|state|general|wholly)|(?<=\s)(?:located|organized|incorporated|"
    r"having|with (?:its|offices|a place|principal)|whose|residing)\b|(?<=\s)(?:hereinafter|herein|referred|"
    r"collectively|together with|on behalf)\b|(?<=\s)(?:suite|room|unit|floor|building|bldg|p\.?\s?o\.?\s+box)\b|(?<=\s)c/o\b|"
    r"(?<=\s)\d{2,}\b)",
    re.I)


def contract_parties(text: str, rules: dict) -> list[str]:
    opening = text[:5000]
    preamble = notarial_parties(opening, rules) or preamble_parties(opening, rules)
    # Names are defined as parties before the recitals; what the recitals define ("the television
    # show known as Night Cast (hereinafter “Night Cast”)", «Software», «Immobile») is no party.
    heading = _RECITALS_HEAD.search(opening, 200)
    defining = opening[: heading.start()] if heading else opening
    # With two parties named by the preamble, a name defined by its own short name ('Morgan Stanley
    # & Co. ("Morgan Stanley")') is an adviser, a brand or an affiliate; one defined by a role is a party.
    defined = defined_parties(defining, rules, roles_only=len(preamble) >= 2)
    if len(preamble) >= 2:  # but the full name of a party the preamble gave by its short name is kept
        defined += [d for d in defined_parties(defining, rules) if d not in defined
                    and any(_same(d, p) and len(p.split()) == 1 for p in preamble)]
    # A defined name that holds a party of the preamble and more ("Harbor Lane Capital, L.P. and
    # Brightwater Holdings LLC", "England and Wales, Verity Labs, Inc.") is two names run together.
    defined = [d for d in defined if not any(len(p.split()) >= 2 and compact(p) in compact(d) != compact(p)
                                             for p in preamble)]
    signers = signatories(text, rules)
    names: list[str] = []
    # A person signing for themselves is a party of an agreement with an individual (an employee,
    # a consultant); elsewhere the people signing are officers of the companies.
    individual = re.search(rules.get("individual", r"(?!x)x"), opening, re.I) is not None
    found = len(preamble) + sum(1 for d in defined if not any(_same(d, p) for p in preamble))
    signing = signing_companies(text, rules) if found < 2 else []
    by_role = role_signers(text, rules) if individual and found < 2 else []
    employing = employers(opening, rules) if individual and found < 2 else []
    for group in (preamble, defined, employing, signing, by_role, signers if individual and found < 2 else []):
        for name in group:
            same = [i for i, other in enumerate(names) if _same(name, other)]
            if not same:
                names.append(name)
            elif len(name.split()) > len(names[same[0]].split()) and len(names[same[0]].split()) == 1:
                names[same[0]] = name  # "Premier" (an alias the text uses) and "Premier Nutrition Corporation"
    letter = rules.get("letter")
    if letter and re.search(letter, opening[:3000]) and re.search(rules.get("letter_close", r"(?!x)x"), text, re.I):
        # A letter agreement binds the companies that sign it, sender and countersigner; the
        # advisers and affiliates its text defines are not parties.
        signing = signing_companies(text, rules)
        if len(signing) >= 2:
            return [next((n for n in names if _same(n, s)), s) for s in signing][:_MAX_PARTIES]
    return names[:_MAX_PARTIES]


_RECITALS_HEAD = re.compile(r"\b(?:WHEREAS|Whereas|RECITALS|Recitals|WITNESSETH|Witnesseth|BACKGROUND|PREMESSO|Premesso|"
                            r"PREMESSE|Premesse)\b")


def _same(a: str, b: str) -> bool:
    fa, fb = _form(a), _form(b)
    if fa and fb and fa != fb:
        return False  # "ACME GP L.P." and "ACME GP L.L.C.": a partnership and its general partner
    ka, kb = _key(a), _key(b)
    return ka == kb or (len(min(ka, kb, key=len)) >= 4 and (ka.startswith(kb) or kb.startswith(ka)))


# Legal forms written in full or abbreviated, to one spelling each.
_FORMS = {"incorporated": "inc", "corporation": "corp", "limited": "ltd", "l.l.c": "llc", "l.p": "lp"}


def _form(name: str) -> str:
    """The legal form a name ends with ("llc", "lp", "inc"), or ""."""
    found = _SUFFIX_WORDS.findall(name)
    if not found or not _SUFFIX_WORDS.search(name.rstrip(" .,")[-14:]):
        return ""
    last = found[-1].lower().rstrip(".")
    return _FORMS.get(last, last)


_SUFFIX_WORDS = re.compile(r"\b(?:inc|incorporated|llc|l\.l\.c|ltd|limited|corp|corporation|co|plc|lp|l\.p|n\.v|b\.v)\b\.?",
                           re.I)


def _key(name: str) -> str:
    return compact(_SUFFIX_WORDS.sub("", re.sub(r"(?i)^the\s+", "", name)))


# -- the preamble ------------------------------------------------------------------------------
def preamble_parties(opening: str, rules: dict) -> list[str]:
    intros = sorted(rules.get("intro", ["between"]), key=len, reverse=True)  # "by and between" before "between"
    joiners = rules.get("joiners", ["and"])
    intro_re = re.compile(r"\b(?:" + "|".join(phrase_pattern(i) for i in intros) + r")\b[:\s]+", re.I)
    single: list[str] = []
    for match in intro_re.finditer(opening):
        tail = opening[match.end() : match.end() + _PARTY_CHARS]
        tail = re.sub(r"^(?:and\s+)?(?:between|among)\b[:\s]*", "", tail, flags=re.I)  # "entered into by and between"
        names = _split(tail, joiners, rules)
        if len(names) >= 2:
            return names
        single = single or names
    return single


# A notarial deed names its parties as the people appearing before the notary: "avanti a me …
# Notaio …, sono comparsi: il Sig. X, nato a …, il quale interviene in qualità di legale
# rappresentante della società A S.r.l. …; la Sig.ra Y, nata a …". The party is the company a
# person appears for, or the person in their own name.
_APPEARING = re.compile(r"(?i)\b(?:sono\s+comparsi|(?:è|e')\s+comparso|(?:è|e')\s+comparsa|si\s+sono\s+costituiti)\b\s*:?\s*")
_APPEARING_END = re.compile(r"(?i)\b(?:detti\s+comparenti|i\s+comparenti|comparenti\s+della\s+cui|della\s+cui\s+identit|"
                            r"premesso|premesse|io\s+notaio)\b")
_APPEARS_FOR = re.compile(r"(?i)\b(?:legale\s+rappresentante|amministratore\s+unico|amministratore\s+delegato|"
                          r"procuratore(?:\s+speciale)?|presidente\s+del\s+consiglio\s+di\s+amministrazione)"
                          r"(?:\s+pro\s+tempore)?,?\s+(?:della|dello|del|di)\s+(?:società\s+|ditta\s+)?")


def notarial_parties(opening: str, rules: dict) -> list[str]:
    start = _APPEARING.search(opening)
    if start is None:
        return []
    end = _APPEARING_END.search(opening, start.end())
    block = opening[start.end() : end.start() if end else start.end() + _PARTY_CHARS]
    names: list[str] = []
    for person in re.split(r";\s*|\s+(?:e|ed)\s+(?=(?:il|la)\s+(?:Sig|Dott|Avv|Ing|Rag|Geom|Arch|Prof)|società\s)", block):
        person = re.sub(r"^\W*(?:-\s*)?(?:e\s+|ed\s+)?", "", person)
        acting = _APPEARS_FOR.search(person)
        name = clean_name(person[acting.end() :] if acting else person, rules)
        if name and plausible(name, rules) and not any(_same(name, n) for n in names):
            names.append(name)
    return names[:_MAX_PARTIES]


def phrase_pattern(text: str) -> str:
    return r"\s+".join(map(re.escape, text.split()))


# A numbered section's heading or a section word: what follows a sentence, never a name.
_HEADING = re.compile(r"(?:\d{1,2}\.(?:\d{1,2}\.?)?|(?:ARTICLE|Article|SECTION|Section|Art\.)\s+[\dIVX]{1,4}\.?)\s+[A-Z]")


def sentence_end(text: str) -> int | None:
    """Where the first sentence of ``text`` ends (a full stop that is not an abbreviation's)."""
    for match in re.finditer(r"\.\s+(?=[A-Z(\"“0-9])|\.$", text):
        before = text[: match.start()].split()
        last = before[-1].lower().strip(",(") if before else ""
        last = re.sub(r"^[a-z]{1,3}['’]", "", last)  # "l'Avv.", "dell'Ing.": the title after the article
        if last in _ABBREVIATIONS or len(last) <= 1 or re.fullmatch(r"(?:[a-z]\.)+[a-z]", last):
            if _HEADING.match(text, match.end()):
                # "… and Driftwood Data LLC." then "1. Appointment": the legal form's full stop ends
                # the sentence too.
                return match.start() + 1
            continue
        if re.match(r"\((?:[\"“”'‘’«]|the\b|[a-z])", text[match.end() :]):
            continue  # "…, Toronto Ont. (the “Consultant”), and …": an alias follows an abbreviation
        return match.start()
    return None


def _split(tail: str, joiners: list[str], rules: dict) -> list[str]:
    stops = rules.get("stop", ["whereas", "recitals", "witnesseth", "background"])
    # "referred to in this Agreement as “Company”": a stop phrase after a preposition describes a party.
    stop_re = re.compile(r"(?<!\bin )(?<!\bto )(?<!\bof )(?<!\bby )(?<!\bunder )\b(?:"
                         + "|".join(map(re.escape, stops)) + r")\b", re.I)
    end = stop_re.search(tail)
    if end:
        names = _split_at(tail[: end.start()], joiners, rules)
        if len(names) >= 2 or not _INSIDE_DESCRIPTION.search(tail[: end.start()]):
            return names
        # "ACME Inc., …, each of which shall be bound by this Agreement, (collectively “ACME”), and
        # Beta, Inc.": the stop word sits in a party's description; the sentence still names both.
        more = _split_at(tail, joiners, rules)
        return more if len(more) >= 2 else names
    return _split_at(tail, joiners, rules)


# A party's description runs on after a comma: the words of a relative clause or of a
# subsidiaries' list.
_INSIDE_DESCRIPTION = re.compile(r"(?i),\s*(?:each\s+of\s+which|which|who|whose|for\s+itself|on\s+behalf)\b[^,()]*$")


def _split_at(tail: str, joiners: list[str], rules: dict) -> list[str]:
    sentence = sentence_end(tail)
    if sentence is not None:
        tail = tail[:sentence]
    # Aliases and descriptions in brackets go; they may hold "and" themselves.
    # A list's numbers go first: "(1) Alpha AB and Beta, Inc., and (2) Gamma Co., Ltd." (taken as an
    # alias, "(2)" would leave the joiner before no name).
    flat = _ALIAS.sub(" | ", _LIST_NUMBER.sub("", tail))
    # "the laws of England and Wales": a jurisdiction's "and" joins no parties.
    flat = _JURISDICTION_AND.sub(r"\1 & ", flat)
    join_re = re.compile(r"(?:,|;)?(?<!\s)\s++(?:" + "|".join(map(re.escape, joiners)) + r"|" + _JOINING
                         + r"):?\s+(?=[A-Z\"“])|;\s*", re.I)
    names: list[str] = []
    for joined in join_re.split(flat):
        for chunk in _listed(joined):
            name, relaxed = _party_name(chunk, rules)
            if name and plausible(name, rules, described=relaxed) and not any(_same(name, n) for n in names):
                names.append(name)
        if len(names) >= _MAX_PARTIES:
            break
    return names[:_MAX_PARTIES]


# Italian words that join one more party to a list: "tra A e B, con l'intervento di C, in qualità di
# garante", "tra A, B nonché C" (with the society or title words _LEADING then takes off).
_JOINING = r"nonch[ée]|con\s+l['’]intervento\s+(?:di|del(?:la|lo|l['’])?)|alla\s+presenza\s+(?:di|del(?:la)?)"
_LIST_NUMBER = re.compile(r"(?<![\w)])\((?:\d{1,2}|[a-h]|[ivx]{1,4})\)\s+(?=[A-Z])")
_JURISDICTION_AND = re.compile(r"(\blaws?\s+of\s+(?:the\s+)?[A-Z][\w.]*)\s+and\s+(?=[A-Z])")

# A company's legal form ending a name: "Inc.", "L.P.", "Co., Ltd.", "S.r.l.", "S.p.A.", "S.n.c.".
_ENDS_IN_FORM = re.compile(
    r"(?i)(?:\b(?:inc|incorporated|llc|l\.l\.c|ltd|limited|corp|corporation|co|plc|lp|l\.p|llp|n\.v|b\.v|ag|gmbh|s\.a|"
    r"s\.?\s?r\.?\s?l(?:\.?\s?s)?|s\.?\s?p\.?\s?a|s\.?\s?n\.?\s?c|s\.?\s?a\.?\s?s|s\.?\s?s)\.?)$")
# A piece that is a legal form only: the rest of the name before its comma ("Acme, Inc.").
_FORM_ONLY = re.compile(r"(?i)^\s*(?:inc|llc|l\.l\.c|ltd|limited|corp|co|plc|lp|l\.p|llp|n\.v|b\.v)\.?\s*$")


def _listed(chunk: str) -> list[str]:
    """A joiner's chunk split where a comma starts the next party of a list: "A, a Delaware
    corporation (alias), B, Inc., an Ohio corporation", "tra le società A S.r.l., con sede in …,
    B S.p.A., con sede in …". A piece after a comma starts a party when it is a name ending in a
    legal form (with the next piece when that is the form: "B, Inc."); commas inside a description
    (an address, "Springfield, Ohio") start none."""
    pieces = chunk.split(",")
    groups: list[list[str]] = [[pieces[0]]]
    for i in range(1, len(pieces)):
        piece = pieces[i]
        candidate = piece
        if i + 1 < len(pieces) and _FORM_ONLY.match(pieces[i + 1].split("|")[0]):
            candidate = piece + "," + pieces[i + 1].split("|")[0]
        bare = candidate.replace("|", " ").strip()
        bare = re.sub(r"^(?:\(?\d{1,2}\)\s*)", "", bare)
        starts = (not _FORM_ONLY.match(piece.split("|")[0]) and bare[:1].isupper()
                  and _ENDS_IN_FORM.search(bare) is not None and "|" not in piece.split("|")[0]
                  and any(len(g.strip(" |")) > 0 for g in groups[-1]))
        name = clean_name(bare) if starts else ""
        # The name itself ends in the form, with a word before it ("INC. c/o Management, Inc." is no name).
        # The name ends in its form, or only its form follows the name ("Quillon Systems Incorporated",
        # the form a description word cuts off); "Dover DE 19901; Beta, Inc." starts no party.
        printed = bare.split("|")[0].strip()
        rest = printed[len(name) :] if name and printed.startswith(name) else None
        formed = name and (_ENDS_IN_FORM.search(name) or rest is not None and re.fullmatch(
            r"(?i)[\s,]*(?:incorporated|inc|llc|ltd|limited|corp|corporation|plc|l\.?p)\.?", rest))
        if formed and not _FORM_ONLY.match(name.split()[0]) and plausible(name, {}):
            groups.append([piece])
        else:
            groups[-1].append(piece)
    return [",".join(g) for g in groups]


# "Apex Media, a division of Marlow Analytics, Inc.": a division is no legal person; the company is the party.
_DIVISION_OF = re.compile(r"(?i),?\s+an?\s+(?:division|unit|business\s+unit|operating\s+division)\s+of\s+(?=[A-Z])")
# A corporate description after a name: the words before it are a company's name, whatever their case.
_CORPORATE = re.compile(r"(?i)^,\s*an?\s+[^,|]{0,50}\b(?:corporation|company|partnership|limited)\b")


def _party_name(chunk: str, rules: dict) -> tuple[str, bool]:
    """The party's name in a chunk and whether a corporate description follows it ("i-deal
    networks, a Florida corporation": a name in lower case that is nonetheless a company's)."""
    division = _DIVISION_OF.search(chunk)
    if division:
        chunk = chunk[division.end() :]
    name = clean_name(chunk, rules)
    if not name:
        return "", False
    at = chunk.find(name)
    described = at >= 0 and _CORPORATE.match(chunk[at + len(name) :]) is not None
    return name, described


# What a party's name may be printed after: a list number ("1)", "(2)", "a."), a bracket left by an
# alias taken out, an Italian article with a kind of company or a title ("la società", "il Sig.",
# "la Dott.ssa"); the labels give the name without them.
_LEADING = re.compile(
    r"^(?:[|\s]+|(?i:e|ed|and)\s+(?=[|(]|\d{1,2}[.)])|(?:\(?(?:\d{1,2}|[a-h])\)|\d{1,2}\.)\s+)*"
    r"(?:(?:(?i:il|la|lo|l['’]|le)\s*)?(?i:societ[àa]|ditta|impresa|spett\.?\s?le|sig\.?\s?ra|sigg?\.|sig\b|"
    r"dott\.?\s?ssa|dott\.|dr\.|ing\.|avv\.|geom\.|rag\.|arch\.|prof\.(?:\s?ssa)?)\s+)?")


def clean_name(chunk: str, rules: dict | None = None) -> str:
    chunk = _LEADING.sub("", chunk.strip(), count=1)
    cut = _DESCRIPTION.search(chunk)
    name = chunk[: cut.start()] if cut else chunk
    described = _described_by(rules or {})
    if described is not None:
        more = described.search(name)
        if more:
            name = name[: more.start()]
    name = name.strip(" ,;:\"“”'’|")
    name = re.sub(r"^(?:the\s+parties?\s*:?|each of|between|and|by)\s+", "", name, flags=re.I)
    name = re.sub(r"\s*,$", "", name)
    return " ".join(name.split())


def _described_by(rules: dict) -> re.Pattern[str] | None:
    """The configured words that start a description in other languages (", con sede in")."""
    words = tuple(rules.get("description", ()))
    return _description_pattern(words) if words else None


def _description_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    # As "\s*[,;-]?\s+(...)", each run of blanks taken once (see _DESCRIPTION).
    return re.compile(r"(?<!\s)\s*+[,;-]?\s*+(?<=\s)(?:" + "|".join(phrase_pattern(w) for w in words) + r")\b", re.I)


def plausible(name: str, rules: dict, *, described: bool = False) -> bool:
    """A proper name, not a role, a pronoun or a stretch of prose. ``described``: a corporate
    description follows the name, which may then be printed in lower case ("i-deal networks")."""
    words = _STATUS.sub("", name).split()  # "Omega S.r.l. in liquidazione": a company's state, not prose
    if not 1 <= len(words) <= 10 or len(name) > 100 or len(name) < 2:
        return False
    if compact(name) in {compact(r) for r in rules.get("roles", [])} | {"undersigned", "you", "i", "me"}:
        return False
    if re.match(r"(?i)(?:the|this|that|such|said|its|his|her|their|our|your|my|each|all|any|certain|other)\b", name):
        # "the Company", "its subsidiaries"; a name may start with "The" when it goes on in capitals.
        if not (name.startswith("The ") and len(words) >= 2
                and all(w[:1].isupper() or w.lower() in _CONNECTORS for w in words[1:3])):
            return False
    if _NOT_A_PARTY.search(name):
        return False  # the agreement itself, a statute, a heading
    if words[-1].lower() in {"and", "or", "of", "e", "ed", "the"}:
        return False  # "VSI and": cut in the wrong place
    if len(words) == 1 and (len(name) < 3 or name.lower() in _SMALL_WORDS):
        return False  # "and", "As": a split in the wrong place
    capitals = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit() or w.lower() in _CONNECTORS)
    # A brand may start in lower case before a capital: "eGain", "iVillage", "i-on".
    initial = words[0][:1].isupper() or re.match(r"[a-z]{1,2}(?:[A-Z]|-[a-z])", words[0]) is not None
    if described and len(words) <= 4 and re.match(r"[a-z]{1,2}-?[a-zA-Z]", words[0]):
        return True
    return capitals >= max(1, len(words) - 1) and initial


# What Italian company names print after the legal form: the company's state or its one member.
_STATUS = re.compile(r"(?i)(?<!\s)\s+(?:in\s+liquidazione|unipersonale|a\s+socio\s+unico|con\s+socio\s+unico|"
                     r"in\s+concordato\s+preventivo|in\s+amministrazione\s+straordinaria)$")

_SMALL_WORDS = {"and", "or", "as", "the", "by", "between", "among", "this", "that", "with", "for", "each", "any",
                "all", "its", "his", "her", "their", "from", "to", "of", "in", "on", "at", "an", "a"}


_NOT_A_PARTY = re.compile(r"(?i)\b(?:agreement|amendment|contract|act|plan|policy|exhibit|whereas|now|therefore|"
                          r"recitals?|schedule|section|article|suite|street|avenue|road|drive|bldg|board|directors|"
                          r"representatives?|state of|county of|copyright|program|warranty|warranties|disclaimer|"
                          r"liability|including|provided|therein|thereof|hereof|records|term)\b|[\"“”)(]|\d{5}")


_CONNECTORS = {"of", "and", "&", "for", "the", "de", "du", "la", "von", "van", "der", "di", "e", "y", "-", "/",
               "a.g.", "inc.", "ltd."}


# -- names defined with a party's role as alias ------------------------------------------------
def defined_parties(opening: str, rules: dict, *, roles_only: bool = False) -> list[str]:
    roles = {compact(r) for r in rules.get("roles", [])}
    out: list[str] = []
    for match in _ALIAS.finditer(opening):
        raw_aliases = [re.sub(r"(?i)^the\s+", "", a) for a in _QUOTED.findall(match.group(0))]
        if not raw_aliases:  # "PARTIES: Mark Doe (EMPLOYEE) ACME, Inc. … (ACME)": an alias in capitals, unquoted
            raw_aliases = _BARE_ALIAS.findall(match.group(0))
        aliases = [compact(a) for a in raw_aliases]
        if not aliases:
            continue
        before = opening[max(0, match.start() - 200) : match.start()]
        # The stretch since the previous alias or sentence: the name sits at its start when an
        # address or description comes between it and its alias.
        since = _stretch(before)
        name = _name_before(before)
        head = since[: since.rfind(name.split()[0])] if name and name.split()[0] in since else ""
        described = _described_by(rules)
        # (A company's name right before the alias is the party whatever came before it: a letter's
        # head with its address and P.IVA above "con la presente ACME S.r.l. (di seguito «Fornitore»)".)
        if head.strip() and not _ENDS_IN_FORM.search(name) and (
                _REPRESENTED.search(head) or _ADDRESSED.search(head)
                or (described is not None and described.search(head))):
            # What ends the stretch is an address or a representative ("IREYA B.V, having an address at
            # …, represented by Andrea van Elsas (“Consultant”)", "Beta S.r.l., con sede in Corso
            # Italia 5, Padova (di seguito «Cliente»)"): the party is named where the stretch starts.
            intro = list(re.finditer(r"(?i)\b(?:between|among|tra|fra|and|e|ed)\s+", head))
            start = intro[-1].end() if intro else 0
            titled = list(_TITLED.finditer(head))
            if not intro and titled and not _REPRESENTED.search(head[: titled[-1].start()]):
                # "Interviene al presente contratto, in qualità di fideiussore, il Sig. Mario Rossi, nato
                # a … (di seguito il «Garante»)": a sentence of its own names the person after the title.
                start = titled[-1].start()
            name = clean_name(since[start:], rules)
        if not name or not plausible(name, rules):
            name = _name_at_alias_word(since, raw_aliases)
            if not name or not plausible(name, rules):
                continue
        named_after_itself = any(a and (a in compact(name) or _initials(name).startswith(a)) for a in aliases)
        if any(a in roles for a in aliases) or named_after_itself and not roles_only:
            if not any(_same(name, n) for n in out):
                out.append(name)
    return out


_TITLED = re.compile(r"\b(?:il|la|lo|l['’])\s*(?:Sig\.(?:ra)?|Sigg\.|Dott\.(?:ssa)?|Avv\.|Ing\.|Geom\.|Rag\.|Arch\.|"
                     r"Prof\.(?:ssa)?|società)\s+(?=[A-Z])")
_BARE_ALIAS = re.compile(r"^\(\s*(?:THE\s+)?([A-Z][A-Z-]{2,20})\s*\)$")

# An address between a party's name and its alias.
_ADDRESSED = re.compile(r"(?i)\b(?:having\s+(?:an?|its)\s+(?:address|office|place)|with\s+(?:an?|its)\s+(?:place\s+of\s+"
                        r"business|principal|registered\s+office|offices?|address)|located\s+at|whose\s+(?:registered|"
                        r"principal)|residing\s+at|domiciled\s+at)\b")


def _stretch(before: str) -> str:
    """The text since the previous alias or sentence ("Sig. Mario Rossi" is no sentence end)."""
    since = before.rsplit(")", 1)[-1]
    for match in reversed(list(re.finditer(r"(?<=[a-z])\.\s", since))):
        words = since[: match.start()].split()
        last = re.sub(r"^[a-z]{1,3}['’]", "", words[-1].lower().lstrip("(")) if words else ""
        if last not in _ABBREVIATIONS and len(last) > 1 and since[match.end() :].strip():
            return since[match.end() :]  # (a full stop right before the alias abbreviates: "Toronto Ont.")
    return since


_REPRESENTED = re.compile(
    r"(?i)(?:represented\s+by|acting\s+(?:by|through)|through\s+its|in\s+persona\s+del(?:la|l['’])?|"
    r"rappresentat[oa]\s+da(?:l(?:la)?)?|legale\s+rappresentante)(?:\s+(?:pro\s+tempore|sig\.?(?:ra)?|dott\.?(?:ssa)?|"
    r"legale\s+rappresentante|amministratore\s+unico))*[\s,]*$")


def _name_at_alias_word(text: str, aliases: list[str]) -> str:
    """'Aduro Biotech, Inc., with a place of business at ... ("Aduro")': the name that starts
    where the alias's word first appears."""
    for alias in aliases:
        word = alias.split()[0] if alias.split() else ""
        if len(word) < 3:
            continue
        found = re.search(r"\b" + re.escape(word) + r"\b", text, re.I)
        if found:
            start = found.start()
            # Include capitalised words just before it ("The Regents of The University of Michigan").
            head = _name_before(text[:start] + " " + text[start : start + len(word)])
            tail_text = text[start:]
            name = clean_name(tail_text)
            if head and compact(head).endswith(compact(word)):
                name = clean_name(head[: -len(word)].rstrip() + " " + tail_text) if head[: -len(word)].strip() else name
            return name
    return ""


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z]+", name)).lower()


_FORM_WORD = re.compile(r"(?i)(?:inc|llc|ltd|corp|plc|s\.r\.l(?:\.s)?|srl|s\.p\.a|spa|s\.n\.c|snc|s\.a\.s|sas)\.?")


def _name_before(text: str) -> str:
    """The name that ends ``text``, its description ("a Delaware corporation") left out."""
    text = text.rstrip(" ,")
    text = re.sub(r"\(?(?<!\s)\s*+(?:together|collectively)(?:\s+the)?$", "", text, flags=re.I).rstrip(" ,")
    # "Control4 Corporation, its subsidiaries, affiliates, successors or assigns"
    text = re.sub(r",\s+(?:and\s+)?(?:its|their|his|her)\b.*$", "", text, flags=re.I).rstrip(" ,")
    # "a company incorporated in New York": what ends the text is a place, not the party's name.
    if re.search(r"(?i)\b(?:incorporated|organi[sz]ed|registered|existing|formed|established|resident|residing)"
                 r"\s+(?:in|under)\s+(?:the\s+laws\s+of\s+)?(?:the\s+)?(?:state\s+of\s+)?[A-Z][\w.'’ -]{1,40}$", text):
        return ""
    # "ACME, Inc., a Delaware corporation" -> drop the description after the name
    text = re.sub(r",?(?<!\s)\s++(?:an?|the)\s+[^,]{0,60}(?:corporation|company|partnership|entity|association|bank|"
                  r"individual|limited liability company|organization)$", "", text, flags=re.I)
    # Walk back over capitalised words and the small words names contain.
    tokens = text.split()
    name: list[str] = []
    for token in reversed(tokens):
        bare = token.strip(",.;:\"“”")
        if not bare:
            break
        if re.search(r"[)\"“”]", token) and len(name) > 0 or token.endswith(("”", '"', ")")):
            break  # the end of an earlier alias: 'Company") and ...'
        if _NOT_A_PARTY.search(bare) or bare.endswith(":"):
            break  # a heading before the name: "JOINT VENTURE AGREEMENT Collectible Concepts ..."
        if bare[:1].isupper() or bare[:1].isdigit() or bare.lower() in _CONNECTORS or bare.lower() in ("inc", "llc") \
                or _FORM_WORD.fullmatch(bare):  # "Vetreria Moretti s.n.c.": a legal form in lower case
            name.insert(0, token)
            if token.endswith((".", ";", ":")) and bare.lower() not in _ABBREVIATIONS and len(name) > 1 \
                    and not re.fullmatch(r"(?:[A-Za-z]\.)+", bare + "."):
                name.pop(0)
                break
            continue
        break
    while name and name[0].strip(",.").lower() in _CONNECTORS:
        name.pop(0)
    return clean_name(" ".join(name)).strip(" ,")


# -- the employer of an agreement with an individual -------------------------------------------
_COMPANY = (r"(?P<company>[A-Z][\w.&'’/-]*(?:\s+(?:[A-Z0-9][\w.&'’/-]*|of|and|&)){0,6},?\s+(?:Inc|Incorporated|"
            r"Corporation|Corp|LLC|L\.L\.C|Ltd|Limited|Company|Co|PLC|plc|LP|L\.P|LLP|N\.V|B\.V|AG|GmbH|S\.A)\.?)")
_EMPLOYER = re.compile(
    r"\b(?:(?i:my|your|his|her|the\s+employee['’]s|employee['’]s)\s+(?i:continued\s+)?"
    r"(?i:employment|relationship|engagement|services?)\b[^.;]{0,60}?\b(?i:with|to|by)"
    r"|\b(?i:employee|executive|consultant)\s+(?:\([^()]{0,60}\)\s+)?(?i:of|with))\s+" + _COMPANY)


def employers(opening: str, rules: dict) -> list[str]:
    """The company of an employee's or consultant's undertaking that names no second party in a
    preamble: "As a condition of my relationship with ACME Corporation, its subsidiaries …",
    "In consideration of your employment with or services to ACME, Inc.", "the undersigned
    employee (“Employee”) of ACME, Inc."."""
    out: list[str] = []
    for match in _EMPLOYER.finditer(opening):
        name = clean_name(match.group("company"), rules)
        if plausible(name, rules) and not any(_same(name, n) for n in out):
            out.append(name)
    return out[:1]


# -- signatures --------------------------------------------------------------------------------
_SIGNING_COMPANY = re.compile(
    r"(?:^|[\s:|])(?P<name>[A-Z][A-Z0-9&.,'’/ -]{2,70}?,?\s(?:INC|INCORPORATED|LLC|L\.L\.C|CORPORATION|CORP|LTD|LIMITED|"
    r"L\.P|LP|LLP|COMPANY|CO|N\.V|B\.V|PLC|AG|GMBH|S\.A)\.?)\s*,?\s*(?:By|BY)\b")


def signing_companies(text: str, rules: dict) -> list[str]:
    """Companies named in capitals right above an officer's "By:" in the signature block."""
    tail = text[-4000:]
    out: list[str] = []
    for match in _SIGNING_COMPANY.finditer(tail):
        name = clean_name(match.group("name"), rules)
        name = re.sub(r"^(?:[A-Z]+\s+)*?(?:AGREED|ACCEPTED|WITNESS|WHEREOF|DATE|AND)[:\s]+", "", name).strip(" ,")
        first, _, rest = name.partition(" ")
        if rest and compact(first) in {compact(r) for r in rules.get("roles", [])} \
                and rest.split()[0].lower() not in _CONNECTORS:  # "BANK OF AMERICA" is a name
            name = rest  # "LICENSEE XACCT TECHNOLOGIES, INC.": the role heads the block
        if plausible(name, rules) and not any(_same(name, n) for n in out):
            out.append(name)
    return out


# The signature line of the individual party: "EMPLOYEE: /s/ Jane Doe", "ASSOCIATE: … /s/ Jane Doe"
# (the company's officer signs "By: /s/ …" beside it), "Employee: Jane Doe (Print Name)".
_PERSON = r"(?P<name>[A-Z][a-z'’\-]+(?: [A-Z][.,])? [A-Z][a-z'’\-]+)"  # "R," an initial as a scan reads it  # more words run into the next column
_ROLE_NAME = re.compile(r"^ ?" + _PERSON + r"|/ ?s/ ?" + _PERSON.replace("?P<name>", "?P<signed>")
                        + r"|" + _PERSON.replace("?P<name>", "?P<printed>") + r" \((?i:print(?:ed)? name|name)\)")
_NOT_A_NAME = re.compile(r"(?i)(?:by|name|title|date|signature|print|address|its)\b")


def role_signers(text: str, rules: dict) -> list[str]:
    """The person signing under their own role's label in the signature block of an agreement
    with an individual: the first name after the label, unless an officer signs it "By: /s/ …"."""
    roles = rules.get("individual_roles", ["employee", "executive", "associate", "consultant"])
    tail = " ".join(text[-3000:].split())
    # "EMPLOYEE:", or the role quoted as the text defined it: "“Counterparty” /s/ Jane Doe"
    label = re.compile(r"\b(?:" + "|".join(map(re.escape, roles)) + r")(?: ?:|[”\"] ?:?)", re.I)
    for match in label.finditer(tail):
        window = tail[match.end() : match.end() + 160]
        for found in _ROLE_NAME.finditer(window):
            name = found.group("name") or found.group("signed") or found.group("printed")
            if re.search(r"(?i)\bby ?:? ?$", window[: found.start()]) or _NOT_A_NAME.match(name):
                continue
            if _WITNESS_BEFORE.search(window[: found.start()].replace("/s/", "").rstrip()) \
                    or _ENDS_IN_FORM.search(window[: found.start()].replace("/s/", "").rstrip(" :,")):
                break  # past the individual's signature: a witness's, or an officer's under the company
            name = re.sub(r" ([A-Z]), ", r" \1. ", name)
            if plausible(name, rules):
                return [name]
    return []


# (An initial's full stop may be read as a comma on a scan: "William B, West".)
_SIGNED = re.compile(r"(?P<by>\b(?i:by|name)\s*:?\s*)?/\s?s/\s*(?P<name>[A-Z][A-Za-z.'\-]+"
                     r"(?:\s+(?:[A-Z],(?=\s[A-Z])|[A-Z][A-Za-z.'\-]*)){1,3})")


_WITNESS_BEFORE = re.compile(r"(?i)\b(?:witness(?:ed)?|attest(?:ed)?|in\s+the\s+presence\s+of)\b[\s:]*(?:by\s*:?\s*)?$")
_NOTARY = re.compile(r"(?i)\b(?:notary|commissioner\s+for\s+oaths|justice\s+of\s+the\s+peace)\b")
_SWORN_BEFORE = re.compile(r"(?i)\b(?:sworn|acknowledged|subscribed)\b[^/]{0,40}\bbefore\s+me\b")

_OFFICER = re.compile(r"\b(?:Title|Its|President|Vice President|Chief|Officer|CEO|CFO|COO|Secretary|Treasurer|"
                      r"Director|Counsel|Chairman|Manager|Partner|Senior|Executive Vice)\b")


def signatories(text: str, rules: dict) -> list[str]:
    """People who sign for themselves: "/s/ Jane Doe" not under a company's name (an officer
    signing for a company writes "ACME, Inc. By: /s/ ...", "ACKNOWLEDGED AND AGREED: ACME, Inc.
    /s/ ..."), nor as a witness or a notary. "By: /s/ Jane Doe" with no company above it is the
    individual's own signature."""
    out: list[str] = []
    for match in _SIGNED.finditer(text):
        before = text[max(0, match.start() - 80) : match.start()]
        if match.group("by") and (match.group("by").strip(" :").lower() != "by" or _ENDS_IN_FORM.search(
                before.rstrip(" :,")) or re.search(r"(?i)\b(?:its|title)\s*:?\s*$", before)):
            continue  # "Name: /s/", or a company's officer signing "ACME, Inc. By: /s/ …"
        if _WITNESS_BEFORE.search(before):
            continue  # a witness: "Witness: /s/ …", "Witness By: /s/ …", "Witnessed by /s/ …"
        if not match.group("by") and _ENDS_IN_FORM.search(before.rstrip(" :,")):
            continue  # signing under the company's name, for the company
        after = text[match.end() : match.end() + 80]
        if _OFFICER.search(after) or _NOTARY.search(text[match.start("name") : match.end() + 40]) \
                or _SWORN_BEFORE.search(before):
            continue  # signing as an officer of a company, or as a notary
        words = re.split(r"\s+(?:By|Name|Title|Date|Its)\b", match.group("name"))[0].split()
        # "Jane Doe" or "Ray M. Dolby": more words run into the next signature block.
        words = [re.sub(r"^([A-Z]),$", r"\1.", w) for w in words]
        words = words[:3] if len(words) >= 3 and re.fullmatch(r"[A-Z]\.", words[1]) else words[:2]
        name = " ".join(words).strip(" ,.")
        if len(name.split()) >= 2 and plausible(name, rules) and not any(_same(name, n) for n in out):
            out.append(name)
    return out

