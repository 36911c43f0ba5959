"""CMS (RFC 5652) signatures: made for the package index (CAdES-BES) and checked for both it and
the RFC 3161 timestamp token, which is a CMS SignedData too.

CAdES-BES is CMS SignedData whose signed attributes include the signer's certificate digest
(ESS signing-certificate-v2), so the signature cannot be re-attributed to another certificate.
Written with asn1crypto (structures) and cryptography (keys), both plain Python wheels.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from asn1crypto import algos, cms, core, x509 as ax509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from ..errors import ArchivioError

_HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512, "sha1": hashes.SHA1}


class SignatureError(ArchivioError):
    stage = "preservation"


def sign_detached(data: bytes, cert_file: Path, key_file: Path, password: str | None = None) -> bytes:
    """A detached CAdES-BES signature (DER) of ``data`` with the certificate and key in PEM files."""
    try:
        cert_pem = Path(cert_file).read_bytes()
        key = serialization.load_pem_private_key(Path(key_file).read_bytes(),
                                                 password.encode() if password else None)
        cert = x509.load_pem_x509_certificate(cert_pem)
    except (OSError, ValueError, TypeError) as exc:
        raise SignatureError(f"cannot load the signing certificate or key: {exc}", path=str(cert_file)) from None
    cert_der = cert.public_bytes(serialization.Encoding.DER)
    acert = ax509.Certificate.load(cert_der)
    signed_attrs = cms.CMSAttributes([
        cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
        cms.CMSAttribute({"type": "signing_time", "values": [cms.Time({"utc_time": dt.datetime.now(dt.timezone.utc)})]}),
        cms.CMSAttribute({"type": "message_digest", "values": [hashlib.sha256(data).digest()]}),
        cms.CMSAttribute({"type": "signing_certificate_v2", "values": [{
            "certs": [{"cert_hash": hashlib.sha256(cert_der).digest()}]}]}),
    ])
    to_sign = signed_attrs.dump()
    if isinstance(key, rsa.RSAPrivateKey):
        signature = key.sign(to_sign, padding.PKCS1v15(), hashes.SHA256())
        sig_algo = "sha256_rsa"
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        signature = key.sign(to_sign, ec.ECDSA(hashes.SHA256()))
        sig_algo = "sha256_ecdsa"
    else:
        raise SignatureError("the signing key must be RSA or EC", path=str(key_file))
    signer = cms.SignerInfo({
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber(
            {"issuer": acert.issuer, "serial_number": acert.serial_number})}),
        "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
        "signed_attrs": signed_attrs,
        "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": sig_algo}),
        "signature": signature,
    })
    signed = cms.SignedData({
        "version": "v1",
        "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
        "encap_content_info": {"content_type": "data"},
        "certificates": [acert],
        "signer_infos": [signer],
    })
    return cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump()


def verify_signed_data(signed: cms.SignedData, content: bytes | None = None,
                       trusted: list[x509.Certificate] | None = None) -> x509.Certificate:
    """Check a SignedData's first signer over ``content`` (detached) or its own encapsulated content.

    Returns the signer's certificate; raises ``SignatureError`` saying what does not hold: the
    content digest, the signature, or (with ``trusted``) the issuer of the signer's certificate.
    """
    signers = signed["signer_infos"]
    if len(signers) == 0:
        raise SignatureError("the signature has no signer")
    signer = signers[0]
    cert = _signer_cert(signed, signer)
    if content is None:
        encap = signed["encap_content_info"]["content"]
        if encap.native is None:
            raise SignatureError("the signature is detached but no content was given")
        content = encap.contents if not isinstance(encap, core.ParsableOctetString) else encap.contents
    hash_name = signer["digest_algorithm"]["algorithm"].native
    if hash_name not in _HASHES:
        raise SignatureError(f"unsupported digest {hash_name}")
    digest = hashlib.new(hash_name, content).digest()
    attrs = signer["signed_attrs"]
    if not attrs.native:
        to_verify = content
    else:
        found = [a["values"][0].native for a in attrs if a["type"].native == "message_digest"]
        if not found or found[0] != digest:
            raise SignatureError("the signed content differs from what was signed (message digest mismatch)")
        to_verify = attrs.untag().dump(force=True)  # signed as a SET OF, not with the [0] tag
    public = cert.public_key()
    algo = signer["signature_algorithm"].signature_algo
    try:
        if algo == "rsassa_pkcs1v15" and isinstance(public, rsa.RSAPublicKey):
            public.verify(signer["signature"].native, to_verify, padding.PKCS1v15(), _HASHES[hash_name]())
        elif algo == "ecdsa" and isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(signer["signature"].native, to_verify, ec.ECDSA(_HASHES[hash_name]()))
        else:
            raise SignatureError(f"unsupported signature algorithm {algo}")
    except InvalidSignature:
        raise SignatureError("the signature does not verify with the signer's certificate") from None
    if trusted is not None:
        check_issued_by(cert, trusted)
    return cert


def check_issued_by(cert: x509.Certificate, trusted: list[x509.Certificate]) -> None:
    for ca in trusted:
        if ca.subject != cert.issuer:
            continue
        try:
            cert.verify_directly_issued_by(ca)
            return
        except (ValueError, TypeError, InvalidSignature):
            continue
    raise SignatureError(f"the certificate {cert.subject.rfc4514_string()} was not issued by a trusted CA")


def load_certs(path: Path) -> list[x509.Certificate]:
    try:
        return x509.load_pem_x509_certificates(Path(path).read_bytes())
    except (OSError, ValueError) as exc:
        raise SignatureError(f"cannot read the certificates in {path}: {exc}", path=str(path)) from None


def load_signature(data: bytes) -> cms.SignedData:
    try:
        info = cms.ContentInfo.load(data)
        if info["content_type"].native != "signed_data":
            raise ValueError("not a CMS SignedData")
        signed = info["content"]
        signed.native  # parse it all now, so damage is found here
        return signed
    except (ValueError, TypeError) as exc:
        raise SignatureError(f"the signature file is not a CMS signature: {exc}") from None


def _signer_cert(signed: cms.SignedData, signer: cms.SignerInfo) -> x509.Certificate:
    sid = signer["sid"]
    for choice in signed["certificates"] or []:
        cert = choice.chosen
        if not isinstance(cert, ax509.Certificate):
            continue
        if sid.name == "issuer_and_serial_number":
            if (cert.issuer == sid.chosen["issuer"] and cert.serial_number == sid.chosen["serial_number"].native):
                return x509.load_der_x509_certificate(cert.dump())
        elif cert.key_identifier == sid.chosen.native:
            return x509.load_der_x509_certificate(cert.dump())
    raise SignatureError("the signature does not carry the signer's certificate")
