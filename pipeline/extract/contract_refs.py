"""Dates that belong to another document than the one being read.

Contracts name the agreements they amend, supersede or carry out, with those agreements' dates:
"This Schedule is made … to that Software License Agreement, by and between …, dated November 5,
2010, as amended", "Reference is made to that certain Non-Disclosure Agreement, dated December
20, 2013", "supersedes … the following contract(s): Service Agreement dated November 1, 2015".
Such a date is not this agreement's. English grammar says whose date it is: a date after
"dated" / "effective as of" qualifies the nearest document named before it ("the Supply
Agreement dated …"), while a date after a verb ("is made as of", "shall commence on") belongs to
the sentence's subject. The document is this one when its determiner is "this" ("This
Amendment", "this Agreement") or when it has none (a title: "AGREEMENT dated as of …").
"""

from __future__ import annotations

import re

# Nouns that name a document.
_DOCUMENT = (r"(?:agreements?|contracts?|schedules?|amendments?|addend(?:um|a)|leases?|licen[cs]es?|notes?|plans?|"
             r"letters?|orders?|statements?|instruments?|indentures?|deeds?|polic(?:y|ies)|guarant(?:y|ee)s?|"
             r"certificates?|forms?|filings?|reports?|memorand(?:um|a)|understandings?|arrangements?|protocols?|"
             r"purchase\s+orders?|13[dg](?:/a)?)")
_DETERMINER = (r"(?:this|these|that|those|the|an?|certain|such|said|its|their|each|any|existing|original|prior|"
               r"following|which)")
_OWN = {"this", "these"}
# A determiner, up to ten words that are not determiners, and the document noun it heads.
_HEAD = re.compile(rf"(?i)\b(?P<det>{_DETERMINER})\s+(?:(?!{_DETERMINER}\b)[\w.,&/'’-]+\s+){{0,10}}?{_DOCUMENT}\b")
# A finite verb: after it, a date belongs to the clause's subject, not to the nearest noun.
_VERB = re.compile(r"(?i)\b(?:is|are|was|were|shall|will|has|have|hereby|agrees?)\b")
# Where the sentence holding the date starts: a full stop after a lower-case word (not "Inc.",
# "N.A."), a semicolon. A colon does not end it ("the following contract(s): Service Agreement").
_COPULA = re.compile(r"(?i)\b(?:is|are|was|constitutes)\s+$")
_SENTENCE_END = re.compile(r"(?:\b[a-z\d]{2,}\.|\)\.|;)\s+(?=[A-Z(“\"]|$)")
_ASIDE = re.compile(r"\([^()]{0,120}\)")


def refers_elsewhere(text: str, position: int, *, reach: int = 400) -> bool:
    """Whether the date (or date phrase) at ``position`` is another document's date."""
    before = text[max(0, position - reach) : position]
    ends = list(_SENTENCE_END.finditer(before))
    if ends:
        before = before[ends[-1].end() :]
    before = _ASIDE.sub(" ", before)  # defined names: 'the Company ("ACME")' hides no determiner
    # "This Agreement is a contract between …": a noun after "is" names the subject again.
    heads = [h for h in _HEAD.finditer(before) if not _COPULA.search(before[: h.start()])]
    if not heads:
        return False  # a title or a bare date: nothing says it is another document's
    if any(v.start() >= heads[-1].end() for v in _VERB.finditer(before)):
        # "… is made as of", "… shall commence on": the date is the subject's, and a sentence about
        # this document names it ("This Amendment to the Supply Agreement dated … is made as of").
        return not any(h.group("det").lower() in _OWN for h in heads)
    return heads[-1].group("det").lower() not in _OWN
