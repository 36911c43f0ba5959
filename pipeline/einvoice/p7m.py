"""CAdES envelopes (``.p7m``): the signed content out, and what can be said about each signature.

``asn1crypto`` reads the CMS structure (DER, BER with indefinite lengths, base64, PEM);
``cryptography`` checks the signature with the signer's certificate. Checked, per signer:

- the content digest in the signed attributes equals the digest of the content (intact);
- the signature over the signed attributes verifies with the signer certificate's key;
- the ESS signing-certificate attribute, where present, names that very certificate;
- the certificate's validity dates (an expired certificate is a warning, not a rejection:
  what counts is that it was valid when the invoice was signed);
- optionally, that a certificate of a local trust list issued it. No network is used:
  revocation (CRL/OCSP) is not checked, and the report says so.

A signature that fails is not an unreadable document: the content is still filed, flagged for
review with the reason.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import cms, x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from ..errors import CorruptDocumentError, TruncatedEnvelopeError
from .detect import looks_like_p7m

MAX_LAYERS = 4  # an envelope signed again (countersigned files) is opened layer by layer

_HASHES = {"sha1": hashes.SHA1, "sha224": hashes.SHA224, "sha256": hashes.SHA256, "sha384": hashes.SHA384,
           "sha512": hashes.SHA512}
# Italian qualified certificates carry the holder's tax code in serialNumber ("TINIT-<CF>", "IT:<CF>").
_CF = re.compile(r"(?:TINIT-|IT:|TIN:IT-|IT-)?([A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z]|\d{11})\b")


@dataclass
class SignatureCheck:
    status: str  # "valid" | "invalid"
    reason: str | None = None
    signer: str | None = None
    signer_cf: str | None = None
    issuer: str | None = None
    signing_time: dt.datetime | None = None
    valid_from: dt.datetime | None = None
    valid_to: dt.datetime | None = None
    trusted: bool | None = None  # None: no trust list configured
    warnings: list[str] = field(default_factory=list)


@dataclass
class Envelope:
    content: bytes
    signatures: list[SignatureCheck]
    layers: int = 1


def open_envelope(data: bytes, *, trust: list[x509.Certificate] | None = None, now: dt.datetime | None = None,
                  path: str | None = None) -> Envelope:
    """The innermost signed content and every signature found on the way in."""
    now = now or dt.datetime.now(dt.timezone.utc)
    checks: list[SignatureCheck] = []
    layers = 0
    while True:
        layers += 1
        content, found = _open_one(_der(data, path), trust, now, path)
        checks.extend(found)
        if layers >= MAX_LAYERS or not looks_like_p7m(content[:1024]):
            return Envelope(content, checks, layers)
        data = content


def _der(data: bytes, path: str | None) -> bytes:
    if data[:1] == b"\x30":
        return data
    text = data.strip()
    if text.startswith(b"-----BEGIN"):
        text = b"".join(line for line in text.splitlines() if not line.startswith(b"-----"))
    text = re.sub(rb"\s+", b"", text)
    if not text.endswith(b"="):
        text = text[: len(text) - len(text) % 4]  # cut short mid-group: what is there is read, and found truncated
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise CorruptDocumentError("the .p7m is neither DER nor valid base64", path=path) from None


def _open_one(der: bytes, trust, now, path) -> tuple[bytes, list[SignatureCheck]]:
    try:
        info = cms.ContentInfo.load(der, strict=False)
        if info["content_type"].native != "signed_data":
            raise CorruptDocumentError(f"the .p7m holds {info['content_type'].native}, not signed data", path=path)
        signed = info["content"]
        content = signed["encap_content_info"]["content"].native
        certificates = [c.chosen for c in signed["certificates"] or [] if c.name == "certificate"]
        signer_infos = list(signed["signer_infos"])
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        reason = str(exc)
        if "insufficient data" in reason.lower() or "truncated" in reason.lower() or len(der) < 64:
            raise TruncatedEnvelopeError("the .p7m is truncated: it ends before its signed content does "
                                         "(ask the sender for the file again)", path=path) from None
        raise CorruptDocumentError(f"the .p7m is damaged: {reason}", path=path) from None
    if content is None:
        raise CorruptDocumentError("the .p7m is a detached signature: it does not contain the signed file",
                                   path=path)
    if not signer_infos:
        raise CorruptDocumentError("the .p7m carries no signature", path=path)
    return content, [_check(si, content, certificates, trust, now) for si in signer_infos]


def _check(signer_info, content: bytes, certificates, trust, now) -> SignatureCheck:
    cert = _signer_certificate(signer_info, certificates)
    if cert is None:
        return SignatureCheck("invalid", "the signer's certificate is not in the envelope")
    check = SignatureCheck("valid", signer=_name(cert.subject), signer_cf=_tax_code(cert.subject),
                           issuer=_name(cert.issuer), valid_from=cert["tbs_certificate"]["validity"]["not_before"].native,
                           valid_to=cert["tbs_certificate"]["validity"]["not_after"].native)
    digest_name = signer_info["digest_algorithm"]["algorithm"].native
    if digest_name not in _HASHES:
        check.status, check.reason = "invalid", f"unsupported digest algorithm {digest_name}"
        return check
    digest = hashlib.new(digest_name, content).digest()
    signed_attrs = signer_info["signed_attrs"]
    if signed_attrs and len(signed_attrs):
        attrs = {a["type"].native: a["values"] for a in signed_attrs}
        declared = attrs.get("message_digest")
        if declared is None or declared[0].native != digest:
            check.status, check.reason = "invalid", "the signed content was altered: its digest does not match"
            return check
        if "signing_time" in attrs:
            check.signing_time = attrs["signing_time"][0].native
        essv2 = attrs.get("signing_certificate_v2")
        if essv2 is not None and not _names_certificate(essv2[0], cert):
            check.status, check.reason = "invalid", "the signing-certificate attribute names another certificate"
            return check
        # Signed attributes are signed as a SET OF (tag 0x31), not with their [0] context tag.
        to_verify = b"\x31" + signed_attrs.dump()[1:]
    else:
        to_verify = content
    try:
        _verify(cert, signer_info, to_verify, digest_name)
    except InvalidSignature:
        check.status, check.reason = "invalid", "the signature does not verify with the signer's certificate"
        return check
    except (UnsupportedAlgorithm, ValueError, TypeError) as exc:
        check.status, check.reason = "invalid", f"the signature could not be checked: {exc}"
        return check
    at = check.signing_time or now
    if check.valid_to and check.valid_to < now:
        check.warnings.append(f"the signer's certificate expired on {check.valid_to.date().isoformat()}")
    if check.valid_from and check.valid_to and not (check.valid_from <= at <= check.valid_to):
        check.warnings.append("the certificate was not valid at the signing time")
    if trust is not None:
        check.trusted = _trusted(cert, trust)
        if not check.trusted:
            check.warnings.append("the signer's certificate was not issued by a certificate on the trust list")
    return check


def _signer_certificate(signer_info, certificates) -> asn1_x509.Certificate | None:
    sid = signer_info["sid"]
    for cert in certificates:
        if sid.name == "issuer_and_serial_number":
            if cert.issuer == sid.chosen["issuer"] and cert.serial_number == sid.chosen["serial_number"].native:
                return cert
        elif cert.key_identifier == sid.chosen.native:
            return cert
    return None


def _names_certificate(value, cert: asn1_x509.Certificate) -> bool:
    try:
        for cert_id in value["certs"]:
            algorithm = cert_id["hash_algorithm"]["algorithm"].native
            if hashlib.new(algorithm, cert.dump()).digest() == cert_id["cert_hash"].native:
                return True
    except (KeyError, ValueError, TypeError):
        return True  # an attribute we cannot read is not evidence of tampering
    return False


def _verify(cert: asn1_x509.Certificate, signer_info, data: bytes, digest_name: str) -> None:
    key = x509.load_der_x509_certificate(cert.dump()).public_key()
    signature = signer_info["signature"].native
    algorithm = signer_info["signature_algorithm"]
    algo = algorithm.signature_algo
    hash_cls = _HASHES[digest_name]
    if isinstance(key, rsa.RSAPublicKey):
        if algo == "rsassa_pss":
            params = algorithm["parameters"]
            pss_hash = _HASHES[params["hash_algorithm"]["algorithm"].native]()
            key.verify(signature, data, padding.PSS(padding.MGF1(pss_hash), params["salt_length"].native), pss_hash)
        else:
            key.verify(signature, data, padding.PKCS1v15(), hash_cls())
    elif isinstance(key, ec.EllipticCurvePublicKey):
        key.verify(signature, data, ec.ECDSA(hash_cls()))
    else:
        raise UnsupportedAlgorithm(f"{type(key).__name__} keys are not supported")


def _name(name: asn1_x509.Name) -> str:
    native = name.native
    for key in ("common_name", "organization_name"):
        if native.get(key):
            value = native[key]
            return value if isinstance(value, str) else ", ".join(value)
    return name.human_friendly


def _tax_code(subject: asn1_x509.Name) -> str | None:
    native = subject.native
    for key in ("serial_number", "common_name", "organization_identifier"):
        value = native.get(key)
        if isinstance(value, str):
            match = _CF.search(value.upper())
            if match:
                return match.group(1)
    return None


def _trusted(cert: asn1_x509.Certificate, trust: list[x509.Certificate]) -> bool:
    leaf = x509.load_der_x509_certificate(cert.dump())
    for anchor in trust:
        if anchor.fingerprint(hashes.SHA256()) == leaf.fingerprint(hashes.SHA256()):
            return True
        try:
            leaf.verify_directly_issued_by(anchor)
            return True
        except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
            continue
    return False


def load_trust_list(path: Path) -> list[x509.Certificate]:
    """Certificates (PEM, one after another) whose holders are trusted to issue signing
    certificates: an export of the AgID trust list, or the office's own."""
    data = path.read_bytes()
    try:
        return x509.load_pem_x509_certificates(data)
    except ValueError:
        return [x509.load_der_x509_certificate(data)]
