"""RFC 3161 timestamps (marca temporale): asked of a Time Stamping Authority over HTTP, and checked.

The request carries the SHA-256 of the data and a random nonce; the reply is a CMS-signed
TSTInfo saying the TSA saw that digest at ``gen_time``. Checking it means: the reply was granted,
its message imprint is the digest of the data we hold now, and the TSA's signature verifies (and,
given the TSA's CA certificates, that the TSA certificate was issued by one of them).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import algos, tsp
from cryptography import x509

from ..errors import ArchivioError
from .cms import SignatureError, load_certs, verify_signed_data

CONTENT_TYPE = "application/timestamp-query"


class TimestampError(ArchivioError):
    stage = "preservation"


@dataclass(frozen=True)
class Timestamp:
    gen_time: dt.datetime
    tsa: str  # the TSA certificate's subject
    serial: int
    policy: str


def request_timestamp(data: bytes, url: str, *, timeout: float = 30.0, username: str = "",
                      password: str = "") -> bytes:
    """The DER timestamp token (TimeStampResp) for ``data`` from the TSA at ``url``."""
    nonce = secrets.randbits(63)
    req = tsp.TimeStampReq({
        "version": "v1",
        "message_imprint": {"hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                            "hashed_message": hashlib.sha256(data).digest()},
        "nonce": nonce,
        "cert_req": True,
    })
    request = urllib.request.Request(url, data=req.dump(), method="POST", headers={"Content-Type": CONTENT_TYPE})
    if username:
        import base64

        request.add_header("Authorization", "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 - a configured https/http URL
            reply = answer.read()
    except urllib.error.HTTPError as exc:
        raise TimestampError(f"the TSA at {url} refused the request: HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise TimestampError(f"cannot reach the TSA at {url}: {getattr(exc, 'reason', exc)}") from None
    check_timestamp(reply, data, nonce=nonce)
    return reply


def check_timestamp(reply: bytes, data: bytes, *, nonce: int | None = None,
                    trusted: list[x509.Certificate] | None = None) -> Timestamp:
    """``TimestampError`` unless ``reply`` is a granted, valid timestamp of ``data``."""
    try:
        resp = tsp.TimeStampResp.load(reply)
        status = resp["status"]["status"].native
    except (ValueError, TypeError) as exc:
        raise TimestampError(f"the timestamp is not an RFC 3161 reply: {exc}") from None
    if status not in ("granted", "granted_with_mods"):
        text = resp["status"]["status_string"].native
        raise TimestampError(f"the TSA did not grant the timestamp: {status}{f' ({text})' if text else ''}")
    signed = resp["time_stamp_token"]["content"]
    try:
        encap = signed["encap_content_info"]["content"]
        tst_bytes = encap.contents
        info = tsp.TSTInfo.load(tst_bytes)
        imprint = info["message_imprint"]
        algo = imprint["hash_algorithm"]["algorithm"].native
        hashed = imprint["hashed_message"].native
        gen_time = info["gen_time"].native
    except (ValueError, TypeError, KeyError) as exc:
        raise TimestampError(f"the timestamp is damaged: {exc}") from None
    if hashlib.new(algo, data).digest() != hashed:
        raise TimestampError("the timestamp was made for other data: the index was changed after it was timestamped")
    if nonce is not None and info["nonce"].native != nonce:
        raise TimestampError("the TSA answered another request (nonce differs)")
    try:
        cert = verify_signed_data(signed, tst_bytes, trusted)
    except SignatureError as exc:
        raise TimestampError(f"the timestamp's signature does not hold: {exc.reason}") from None
    return Timestamp(gen_time, cert.subject.rfc4514_string(), info["serial_number"].native, info["policy"].native)


def trusted_from(path: Path | None) -> list[x509.Certificate] | None:
    return load_certs(path) if path else None
