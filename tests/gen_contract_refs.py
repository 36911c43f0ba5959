"""Generated English contracts whose text dates OTHER documents besides (or instead of) itself,
with the dates that are this contract's:

- an amendment, schedule or addendum "to that certain Supply Agreement …, dated …, as amended",
  "Reference is made to that certain Non-Disclosure Agreement, dated … (the "NDA")", a contract
  that "supersedes … the following contract(s): Service Agreement dated …", recitals "WHEREAS,
  the Company and the Executive entered into an Employment Agreement dated …", a joint filing
  agreement about "the Schedule 13G/A … dated as of …";
- the contract's own date then stands in its preamble ("This Amendment … is entered into as of
  …"), at the top of a letter, by the signatures ("Date: 3/4/11", "January 22, 2020 (Date)"), in
  "the undersigned has executed this … Agreement as of …" or "Accepted and Agreed as of the 6th
  day of April, 2014";
- a letter countersigned later, "Accepted and agreed as of the date first written above … Date:
  …": the letter's date is the agreement's.

Names, titles and sentences come from pools written here, not from any corpus document.
"""

from __future__ import annotations

import datetime as dt
import random

from gen_contracts_it import Contract

COMPANIES = ["Harlow Kiln Works, Inc.", "Bexley Signal Partners LLC", "Quarry Lane Software Corp.",
             "Westmarch Freight Holdings, L.P.", "Tidewell Pharmaceuticals, Inc.", "Ambrose & Vane LLP",
             "Corvid Analytics Ltd"]
PEOPLE = ["Rhea Castillo", "Jonah Pickett", "Mina Sorensen", "Caleb Odum", "Tessa Varga"]
TITLES = ["Supply Agreement", "Master Services Agreement", "Software License and Maintenance Agreement",
          "Transportation Service Agreement", "Distribution Agreement", "Non-Disclosure Agreement"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
STATES = ["Delaware", "Ohio", "Texas", "Oregon", "Virginia"]
KINDS = 8


def _long(date: dt.date, rng: random.Random) -> str:
    return rng.choice([f"{MONTHS[date.month - 1]} {date.day}, {date.year}",
                       f"{MONTHS[date.month - 1]} {date.day:02d}, {date.year}"])


def _ordinal(day: int) -> str:
    return f"{day}{'th' if 10 <= day % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th')}"


def english(seed: int) -> Contract:
    """A contract of kind ``seed % KINDS``; ``fields`` holds its own agreement date (and parties
    where the kind names them plainly)."""
    rng = random.Random(seed)
    c = Contract()
    first, second = rng.sample(COMPANIES, 2)
    person = rng.choice(PEOPLE)
    other_title = rng.choice(TITLES)
    earlier = dt.date(2009, 1, 1) + dt.timedelta(days=rng.randrange(2500))  # the other document's
    own = earlier + dt.timedelta(days=rng.randrange(40, 700))  # this one's, always later
    kind = seed % KINDS
    c.line(f"Exhibit 10.{rng.randrange(1, 40)}")
    if kind == 0:
        c.line(f"AMENDMENT NO. {rng.randrange(1, 4)} TO {other_title.upper()}")
        c.prose(f"This Amendment No. {rng.randrange(1, 4)} (this \"Amendment\") to the {other_title} dated as of "
                f"{_long(earlier, rng)} (the \"Agreement\") is entered into as of {_long(own, rng)} by and between "
                f"{first} (\"Supplier\") and {second} (\"Customer\").")
        c.prose("Capitalized terms used but not defined herein have the meanings given in the Agreement.")
    elif kind == 1:
        c.line(f"SCHEDULE TO {other_title}")
        c.prose(f"Addendum Effective Date {_long(own - dt.timedelta(days=1), rng)}. This Schedule is made as of the "
                f"effective date set forth above to that {other_title}, by and between {first} (\"Supplier\") and "
                f"{second}, (\"Client\"), dated {_long(earlier, rng)}, as amended (\"Master Agreement\").")
        c.prose("The attached exhibit is hereby incorporated into the Master Agreement.")
        c.cells((f"By: /s/ {person}", 40), ("By: /s/ Lee Marsh", 600))
        c.cells((f"Date: {own.month}/{own.day}/{own.year % 100:02d}", 40),
                (f"Date: {own.month}/{own.day - 1 if own.day > 1 else own.day}/{own.year % 100:02d}", 600))
    elif kind == 2:
        c.line("AMENDMENT TO NON-DISCLOSURE AGREEMENT")
        c.line(_long(own, rng))
        c.line(f"{second}")
        c.prose(f"Ladies and Gentlemen: Reference is made to that certain Non-Disclosure Agreement, dated "
                f"{_long(earlier, rng)} (the \"NDA\"), by and between {second} and {first}. The parties hereby "
                f"agree to amend Section 4 of the NDA as follows.")
        c.prose("Please confirm your agreement by signing below.")
    elif kind == 3:
        c.line(other_title.upper())
        c.prose(f"This {other_title} (Agreement) is entered into by {first} (Transporter) and {second} (Shipper).")
        c.prose(f"1. EFFECTIVE DATE: {_long(own, rng)} 2. STATE OF INCORPORATION: {rng.choice(STATES)} "
                f"3. EFFECT ON PREVIOUS CONTRACTS: This Agreement supersedes, cancels and terminates the following "
                f"contract(s): Service Agreement dated {_long(earlier, rng)} with Contract Identification "
                f"FT{rng.randrange(10000, 99999)}.")
    elif kind == 4:
        c.line("RETENTION AGREEMENT")
        c.prose(f"This Retention Agreement (the \"Agreement\") is made as of {_long(own, rng)} by and between "
                f"{first} (the \"Company\") and {person} (the \"Executive\").")
        c.prose(f"WHEREAS, the Company and the Executive entered into an Employment Agreement dated "
                f"{_long(earlier, rng)}; and WHEREAS, the parties wish to provide for a retention bonus.")
    elif kind == 5:
        c.line("JOINT FILING AGREEMENT")
        c.prose(f"The undersigned hereby agree that the Schedule 13G/A with respect to the shares of Common Stock, "
                f"$0.01 par value per share, of {second}, dated as of {_long(earlier, rng)}, is filed on behalf of "
                f"each of us pursuant to Rule 13d-1(k) under the Securities Exchange Act of 1934, as amended.")
        c.line(f"{_long(own, rng)} (Date)")
        c.line(f"/s/ {person} (Signature)")
    elif kind == 6:
        c.line("CONFIDENTIAL INFORMATION AND INVENTION ASSIGNMENT AGREEMENT")
        c.prose(f"In consideration of my relationship with {first} (the \"Company\"), and of the Services Agreement "
                f"between the Company and me dated {_long(earlier, rng)}, I agree as follows.")
        c.prose("1. Confidential Information. I will hold in confidence all Confidential Information.")
        c.prose(f"IN WITNESS WHEREOF, the undersigned has executed this Confidential Information and Invention "
                f"Assignment Agreement as of {_long(own, rng)}.")
    else:
        c.line("CONFIDENTIALITY AGREEMENT")
        countersigned = rng.random() < 0.5  # dated at the top, or only where it is accepted
        if countersigned:
            c.line(_long(own, rng))
        c.prose(f"Dear Sirs: In connection with your possible interest in a transaction involving {first} (the "
                f"\"Company\"), and with the Letter of Intent dated {_long(earlier, rng)}, you have requested "
                f"information about the Company.")
        c.prose("You agree to keep the information confidential.")
        if countersigned:
            later = own + dt.timedelta(days=rng.randrange(1, 9))
            c.prose(f"Accepted and Agreed as of the date first written above: {second.upper()} By: /s/ {person} "
                    f"Date: {later.day} {MONTHS[later.month - 1]} {later.year}")
        else:
            c.prose(f"AGREED AND ACCEPTED as of the {_ordinal(own.day)} day of {MONTHS[own.month - 1]}, {own.year}: "
                    f"{second.upper()} By: /s/ {person}")
    c.fields["agreement_date"] = own.isoformat()
    c.fields["other_date"] = earlier.isoformat()
    return c
