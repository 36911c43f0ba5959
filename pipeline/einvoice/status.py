"""The signature status a search hit line shows: valid, broken, or valid with an expired certificate.

The index does not hold it (its schema is shared by every backend and other work): it is read
from the record, only for hits whose file is a signed envelope (``.p7m``) — a few store reads
per page, as the review list already does for its reasons.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from ..errors import ArchivioError
from ..records import Record

log = logging.getLogger(__name__)

STATUSES = ("valid", "invalid", "expired")
# The words of the CLI, which speaks English throughout (the web page uses its catalogue: sig_*).
CLI_WORDS = {"valid": "signature valid", "invalid": "signature BROKEN",
             "expired": "signature valid, certificate expired"}


def signature_status(record: Record, today: dt.date | None = None) -> str | None:
    signature = record.fields.get("signature")
    if signature is None:
        return None
    if signature.value != "valid":
        return "invalid"
    valid_to = record.fields.get("signer_cert_valid_to")
    if valid_to is not None and str(valid_to.value) < (today or dt.date.today()).isoformat():
        return "expired"
    return "valid"


def signature_statuses(archive, hits: Iterable) -> dict[str, str]:
    """{hit id: status} for the signed hits of one page of results."""
    out: dict[str, str] = {}
    for hit in hits:
        if not hit.filename.lower().endswith(".p7m"):
            continue
        try:
            status = signature_status(archive.get_record(hit.id))
        except (ArchivioError, OSError) as exc:
            log.debug("signature status of %s not shown: %s", hit.id, exc)
            continue
        if status is not None:
            out[hit.id] = status
    return out
