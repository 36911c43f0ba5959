"""The production store: an S3-compatible bucket (AWS S3, SeaweedFS, Ceph, MinIO) through boto3.

Same key layout and contract as the local folder (``base.py``); what S3 adds:

* Integrity end to end. Every upload carries an S3 SHA-256 checksum the server verifies
  (``ChecksumSHA256`` for one-part objects, per part for multipart ones), our own SHA-256 goes
  into the object metadata, and after a multipart upload the server's composite checksum is
  compared with the one computed locally. Every download is hashed and compared with the
  SHA-256 the caller expects or, failing that, the one recorded at write time.
* Large files go through boto3's transfer manager in parts, in parallel, from and to disk:
  never the whole file in memory.
* Retention maps to S3 Object Lock (mode and retain-until date on the object) when the bucket
  has it; legal holds likewise. Without Object Lock the store says so once at start-up and
  records nothing it cannot enforce.
* Download links for auditors are presigned GET URLs pinned to the current object version.

S3 user metadata must be ASCII: values (e.g. an original file name ``fattura_caffè.pdf``) are
percent-encoded as UTF-8 on the way in and decoded on the way out.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import logging
import mimetypes
import os
import time
import unicodedata
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import boto3.exceptions
import botocore.exceptions as bex
from boto3.s3.transfer import TransferConfig
from botocore.config import Config as BotoConfig
from s3transfer.utils import ChunksizeAdjuster

from ..config import StoreSettings
from ..errors import (ArchivioError, IntegrityError, NotFoundError, RetentionLockedError, StoreError,
                      StoreUnavailableError)
from .base import ObjectInfo, Retention, check_retention_change, refuse_if_locked
from .local import sha256_file

log = logging.getLogger(__name__)

_CHUNK = 1 << 20
_MB = 1 << 20
_NOT_FOUND = {"404", "NoSuchKey", "NotFound", "NoSuchVersion"}
_NO_BUCKET = {"NoSuchBucket"}
_BAD_CREDENTIALS = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken",
                    "TokenRefreshRequired", "AuthorizationHeaderMalformed"}
_DENIED = {"403", "AccessDenied", "Forbidden", "AllAccessDisabled"}
_TRANSIENT = {"500", "502", "503", "504", "InternalError", "ServiceUnavailable", "SlowDown", "RequestTimeout",
              "RequestTimeTooSkewed", "Throttling", "ThrottlingException", "RequestLimitExceeded"}
_NO_LOCK = {"ObjectLockConfigurationNotFoundError", "InvalidRequest", "NotImplemented", "MethodNotAllowed"}
_UNREACHABLE = (bex.EndpointConnectionError, bex.ConnectTimeoutError, bex.ReadTimeoutError,
                bex.ConnectionClosedError, bex.ProxyConnectionError, bex.SSLError, bex.HTTPClientError)
_warned_no_lock: set[str] = set()


class S3Store:
    name = "s3"
    makes_download_links = True  # presigned GET URLs, signed locally with the store's credentials

    def __init__(self, settings: StoreSettings, *, bucket: str | None = None):
        self.settings = settings
        self.bucket = bucket or settings.bucket
        if not self.bucket:
            raise StoreError("no bucket configured: set store.bucket (ARCHIVIO_STORE_BUCKET)")
        self.prefix = settings.prefix
        self.where = f"s3://{self.bucket}/{self.prefix}" + (f" at {settings.endpoint_url}" if settings.endpoint_url else "")
        self.threshold = settings.multipart_threshold_mb * _MB
        self.chunk = settings.multipart_chunk_mb * _MB
        self.transfer = TransferConfig(multipart_threshold=self.threshold, multipart_chunksize=self.chunk,
                                       max_concurrency=settings.max_concurrency,
                                       preferred_transfer_client="classic")
        self.client = _client(settings)
        self._lock: bool | None = None
        self._exclusive: bool | None = None

    # -- keys and small helpers -----------------------------------------------------------
    def _key(self, key: str) -> str:
        if not key or key.startswith("/") or ".." in key.split("/"):
            raise StoreError(f"invalid object key: {key!r}")
        return self.prefix + key

    def _head(self, key: str, *, checksum: bool = False) -> dict[str, Any] | None:
        """The current version's headers, or None when there is none."""
        args: dict[str, Any] = {"Bucket": self.bucket, "Key": self._key(key)}
        if checksum:
            args["ChecksumMode"] = "ENABLED"
        try:
            return self.client.head_object(**args)
        except bex.ClientError as exc:
            if _code(exc) in _NOT_FOUND:
                return None
            raise self._error(exc, "read", key) from None
        except _UNREACHABLE as exc:
            raise self._unreachable(exc, key) from None

    def _info(self, key: str, head: dict[str, Any]) -> ObjectInfo:
        metadata = decode_metadata(head.get("Metadata", {}))
        retention = None
        if head.get("ObjectLockMode") and head.get("ObjectLockRetainUntilDate"):
            until = head["ObjectLockRetainUntilDate"].astimezone(dt.timezone.utc)
            retention = Retention(head["ObjectLockMode"], until)
        return ObjectInfo(key, head.get("ContentLength", 0), metadata.get("sha256"), metadata, retention,
                          head.get("ObjectLockLegalHoldStatus") == "ON", head.get("VersionId"))

    @contextlib.contextmanager
    def _calling(self, doing: str, key: str) -> Iterator[None]:
        """Turn boto3's exceptions into the store's typed errors, each one readable line."""
        try:
            yield
        except ArchivioError:
            raise
        except bex.ClientError as exc:
            raise self._error(exc, doing, key) from None
        except boto3.exceptions.S3UploadFailedError as exc:
            cause = exc.__cause__ or exc.__context__
            if isinstance(cause, bex.ClientError):
                raise self._error(cause, doing, key) from None
            if isinstance(cause, _UNREACHABLE):
                raise self._unreachable(cause, key) from None
            raise StoreError(f"upload to {self.where} failed: {exc}", path=key) from None
        except _UNREACHABLE as exc:
            raise self._unreachable(exc, key) from None
        except bex.NoCredentialsError:
            raise StoreError("no S3 credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                             "store.profile, or store.access_key_id and store.secret_access_key") from None
        except bex.BotoCoreError as exc:
            raise StoreError(f"could not {doing} it in {self.where}: {exc}", path=key) from None

    def _error(self, exc: bex.ClientError, doing: str, key: str) -> ArchivioError:
        code = _code(exc)
        message = exc.response.get("Error", {}).get("Message") or code
        log.debug("S3 %s of %s failed", doing, key, exc_info=exc)
        if code in _NOT_FOUND:
            return NotFoundError("no such object in the store", path=key)
        if code in _NO_BUCKET:
            return StoreError(f"the bucket {self.bucket} does not exist{self._at()}: create it (with Object Lock "
                              "enabled to enforce retention) or correct store.bucket")
        if code in _BAD_CREDENTIALS:
            return StoreError(f"the S3 credentials were refused{self._at()} ({code}): check store.access_key_id / "
                              "AWS_ACCESS_KEY_ID and the secret key")
        if code in _DENIED:
            return StoreError(f"access denied to {doing} it in {self.where}: check the credentials and the "
                              "bucket policy", path=key)
        if code in _TRANSIENT:
            return StoreUnavailableError(f"the S3 server could not {doing} it right now ({code}: {message})",
                                         path=key)
        return StoreError(f"S3 refused to {doing} it: {code}: {message}", path=key)

    def _unreachable(self, exc: Exception, key: str | None = None) -> StoreUnavailableError:
        log.debug("S3 endpoint unreachable", exc_info=exc)
        return StoreUnavailableError(f"cannot reach the S3 endpoint{self._at() or ' (AWS)'}: {exc}")

    def _at(self) -> str:
        return f" at {self.settings.endpoint_url}" if self.settings.endpoint_url else ""

    # -- Object Lock ---------------------------------------------------------------------
    @property
    def enforces_retention(self) -> bool:
        """Whether the bucket has Object Lock (asked once, then remembered)."""
        if self._lock is None:
            try:
                conf = self.client.get_object_lock_configuration(Bucket=self.bucket)
                self._lock = conf.get("ObjectLockConfiguration", {}).get("ObjectLockEnabled") == "Enabled"
            except bex.ClientError as exc:
                if _code(exc) not in _NO_LOCK:
                    raise self._error(exc, "read the Object Lock configuration of", self.bucket) from None
                self._lock = False
            except _UNREACHABLE as exc:
                raise self._unreachable(exc) from None
        return self._lock

    def _lock_args(self, retention: Retention | None) -> dict[str, Any]:
        if retention is None or not self.enforces_retention:
            return {}
        return {"ObjectLockMode": retention.mode, "ObjectLockRetainUntilDate": retention.until}

    def _apply_retention(self, key: str, head: dict[str, Any], retention: Retention | None) -> None:
        """Some servers ignore lock headers on copy; set retention on the version explicitly then."""
        if retention is None or not self.enforces_retention:
            return
        current = self._info(key, head).retention
        if current is not None and current.until >= retention.until:
            return
        args: dict[str, Any] = {"Bucket": self.bucket, "Key": self._key(key),
                                "Retention": {"Mode": retention.mode, "RetainUntilDate": retention.until}}
        if head.get("VersionId"):
            args["VersionId"] = head["VersionId"]
        with self._calling("set the retention of", key):
            self.client.put_object_retention(**args)

    # -- ObjectStore ----------------------------------------------------------------------
    def put_file(self, key: str, path: Path, *, sha256: str | None = None, metadata: dict[str, str] | None = None,
                 retention: Retention | None = None) -> None:
        path = Path(path)
        current = self._head(key)
        if sha256 and current is not None and _meta_sha(current) == sha256:
            return  # content-addressed and already there: never rewritten
        if current is not None:
            refuse_if_locked(self._info(key, current), "overwritten")

        sums = file_checksums(path, self.threshold, self.chunk)
        if sha256 and sums.sha256 != sha256:
            raise IntegrityError(f"{path} does not hold the expected bytes (SHA-256 {sums.sha256}, expected {sha256})",
                                 path=str(path))
        meta = {**(metadata or {}), "sha256": sums.sha256}
        extra: dict[str, Any] = {"Metadata": encode_metadata(meta), "ContentType": _content_type(meta, key),
                                 **self._lock_args(retention)}
        with self._calling("store", key):
            if sums.parts == 0:
                # One request; the server refuses the body unless its SHA-256 is the one we computed.
                with path.open("rb") as body:
                    self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=body,
                                           ChecksumSHA256=sums.s3_checksum, **extra)
                return
            self.client.upload_file(str(path), self.bucket, self._key(key),
                                    ExtraArgs={**extra, "ChecksumAlgorithm": "SHA256"}, Config=self.transfer)
        stored = self._head(key, checksum=True) or {}
        remote = stored.get("ChecksumSHA256")
        if remote and remote != sums.s3_checksum:
            # The file changed between hashing and uploading: what the bucket got is not what we hashed.
            raise IntegrityError(f"{path} changed while it was being uploaded to {key} (checksum {remote}, "
                                 f"expected {sums.s3_checksum})", path=str(path))

    def put_bytes(self, key: str, data: bytes, *, metadata: dict[str, str] | None = None,
                  content_type: str = "application/octet-stream") -> None:
        digest = hashlib.sha256(data)
        meta = {**(metadata or {}), "sha256": digest.hexdigest()}
        with self._calling("store", key):
            self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data, ContentType=content_type,
                                   Metadata=encode_metadata(meta),
                                   ChecksumSHA256=base64.b64encode(digest.digest()).decode())

    @property
    def creates_exclusively(self) -> bool:
        """Whether the server honours ``If-None-Match: *`` on PutObject (tried once, then remembered).

        AWS S3 does (since August 2024), and SeaweedFS (tests/test_store_contract.py). A server
        that ignores the header would let two writers both "create" one key, silently; so it is
        tried on a scratch key rather than assumed, and ``pipeline.store.exclusive`` warns where
        it fails.
        """
        if self._exclusive is None:
            self._exclusive = self._try_conditional_put()
        return self._exclusive

    def create_bytes(self, key: str, data: bytes, *, content_type: str = "application/octet-stream") -> bool:
        """One conditional PutObject (``If-None-Match: *``): True if the key now holds ``data``, False
        if another writer's object was there first.

        Always a single-part upload: SeaweedFS checks the condition of a single PutObject under
        its per-object lock, not that of a multipart completion (tests/test_store_contract.py
        races creators against it). A refusal is read back once: when botocore retried a request
        whose first answer was lost, the object that "was there first" is our own.
        """
        digest = hashlib.sha256(data)
        args = {"Bucket": self.bucket, "Key": self._key(key), "Body": data, "ContentType": content_type,
                "Metadata": encode_metadata({"sha256": digest.hexdigest()}),
                "ChecksumSHA256": base64.b64encode(digest.digest()).decode(), "IfNoneMatch": "*"}
        for attempt in range(6):
            with self._calling("create", key):
                try:
                    self.client.put_object(**args)
                    return True
                except bex.ClientError as exc:
                    if _code(exc) in ("PreconditionFailed", "412"):
                        return self._holds(key, data)
                    if _code(exc) != "ConditionalRequestConflict":
                        raise
            # AWS answers a create racing one still in flight with 409: the outcome is open, ask again.
            time.sleep(0.05 * 2 ** attempt)
        raise StoreUnavailableError("concurrent writers kept colliding on this key; try again", path=key)

    def _holds(self, key: str, data: bytes) -> bool:
        try:
            return self.get_bytes(key) == data
        except (NotFoundError, IntegrityError):
            return False

    def _try_conditional_put(self) -> bool:
        probe = self._key(f".archivio-probe/{uuid.uuid4().hex}")
        body = {"Bucket": self.bucket, "Key": probe, "Body": b"probe", "IfNoneMatch": "*",
                "ChecksumSHA256": base64.b64encode(hashlib.sha256(b"probe").digest()).decode()}
        try:
            with self._calling("create", probe):
                self.client.put_object(**body)
                try:
                    self.client.put_object(**body)
                    honoured = False
                except bex.ClientError as exc:
                    if _code(exc) not in ("PreconditionFailed", "412"):
                        raise
                    honoured = True
        except StoreUnavailableError:
            raise
        except StoreError as exc:  # e.g. NotImplemented: the header is not understood at all
            log.debug("conditional PutObject refused: %s", exc)
            honoured = False
        with contextlib.suppress(ArchivioError, bex.BotoCoreError, bex.ClientError):
            for version in self._versions(probe) or [None]:
                self.client.delete_object(Bucket=self.bucket, Key=probe, **({"VersionId": version} if version else {}))
        if not honoured:
            log.warning("%s does not honour conditional writes (PutObject If-None-Match: *)", self.where)
        return honoured

    def get_file(self, key: str, dest: Path, *, sha256: str | None = None, check: bool = True) -> None:
        head = self._head(key)
        if head is None:
            raise NotFoundError("no such object in the store", path=key)
        expected = (sha256 or _meta_sha(head)) if check else None
        version = {"VersionId": head["VersionId"]} if head.get("VersionId") else {}
        dest = Path(dest)
        part = dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:8]}.part")
        try:
            with self._calling("read", key):
                if head.get("ContentLength", 0) < self.threshold:
                    digest = hashlib.sha256()
                    body = self.client.get_object(Bucket=self.bucket, Key=self._key(key), **version)["Body"]
                    with part.open("wb") as out:
                        for chunk in body.iter_chunks(_CHUNK):
                            digest.update(chunk)
                            out.write(chunk)
                    actual = digest.hexdigest()
                else:
                    # Parts arrive in parallel and out of order: hash the finished file instead.
                    self.client.download_file(self.bucket, self._key(key), str(part), ExtraArgs=version,
                                              Config=self.transfer)
                    actual = sha256_file(part)
            if expected and actual != expected:
                raise IntegrityError(f"stored object is damaged: its SHA-256 is {actual}, expected {expected}",
                                     path=key)
            os.replace(part, dest)
        finally:
            part.unlink(missing_ok=True)

    def get_bytes(self, key: str) -> bytes:
        with self._calling("read", key):
            response = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
            data = response["Body"].read()
        expected = decode_metadata(response.get("Metadata", {})).get("sha256")
        if expected and hashlib.sha256(data).hexdigest() != expected:
            raise IntegrityError("stored object is damaged: its SHA-256 differs from the one recorded", path=key)
        return data

    def exists(self, key: str) -> bool:
        return self._head(key) is not None

    def info(self, key: str) -> ObjectInfo:
        head = self._head(key)
        if head is None:
            raise NotFoundError("no such object in the store", path=key)
        return self._info(key, head)

    def delete(self, key: str) -> None:
        """Delete every version of the key (not just hide it behind a delete marker)."""
        head = self._head(key)
        if head is not None:
            refuse_if_locked(self._info(key, head), "deleted")
        full = self._key(key)
        with self._calling("delete", key):
            versions = self._versions(full)
            if versions is None:
                self.client.delete_object(Bucket=self.bucket, Key=full)
                return
            for version in versions:
                try:
                    self.client.delete_object(Bucket=self.bucket, Key=full, VersionId=version)
                except bex.ClientError as exc:
                    if _code(exc) in _DENIED:
                        raise RetentionLockedError("an older version is under retention or legal hold and cannot "
                                                   "be deleted", path=key) from None
                    raise

    def _versions(self, full_key: str) -> list[str] | None:
        """Every version id of exactly this key, delete markers included; None if the server has no versions."""
        out: list[str] = []
        try:
            for page in self.client.get_paginator("list_object_versions").paginate(Bucket=self.bucket,
                                                                                   Prefix=full_key):
                for entry in page.get("Versions", []) + page.get("DeleteMarkers", []):
                    if entry["Key"] == full_key:
                        out.append(entry["VersionId"])
        except bex.ClientError as exc:
            if _code(exc) in ("NotImplemented", "MethodNotAllowed"):
                return None
            raise
        return out

    def iter_keys(self, prefix: str) -> Iterator[str]:
        with self._calling("list", prefix or "/"):
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket,
                                                                              Prefix=self.prefix + prefix):
                for entry in page.get("Contents", []):
                    yield entry["Key"][len(self.prefix):]

    def copy(self, src: str, dest: str, *, metadata: dict[str, str] | None = None,
             retention: Retention | None = None) -> None:
        source = self._head(src, checksum=True)
        if source is None:
            raise NotFoundError("no such object in the store", path=src)
        sha = _meta_sha(source)
        target = self._head(dest)
        if target is not None and sha and _meta_sha(target) == sha:
            self._apply_retention(dest, target, retention)  # already there: at most extend its retention
            return
        if target is not None:
            refuse_if_locked(self._info(dest, target), "overwritten")
        meta = {**decode_metadata(source.get("Metadata", {})), **(metadata or {})}
        copy_source = {"Bucket": self.bucket, "Key": self._key(src)}
        if source.get("VersionId"):
            copy_source["VersionId"] = source["VersionId"]
        content_type = source.get("ContentType")
        if content_type in (None, "", "application/octet-stream", "binary/octet-stream"):
            content_type = _content_type(meta, dest)
        extra = {"MetadataDirective": "REPLACE", "Metadata": encode_metadata(meta),
                 "ContentType": content_type, "ChecksumAlgorithm": "SHA256",
                 **self._lock_args(retention)}
        with self._calling("copy", f"{src} to {dest}"):
            self.client.copy(copy_source, self.bucket, self._key(dest), ExtraArgs=extra, Config=self.transfer)
        copied = self._head(dest, checksum=True)
        if copied is None or copied.get("ContentLength") != source.get("ContentLength"):
            raise IntegrityError(f"copy of {src} to {dest} is incomplete", path=dest)
        if (source.get("ContentLength", 0) < self.threshold and source.get("ChecksumSHA256")
                and copied.get("ChecksumSHA256") and copied["ChecksumSHA256"] != source["ChecksumSHA256"]):
            raise IntegrityError(f"copy of {src} to {dest} differs from its source (checksum)", path=dest)
        self._apply_retention(dest, copied, retention)

    def _lockable_head(self, key: str, action: str) -> dict[str, Any]:
        """The object's HEAD, when Object Lock can act on it; the error says why not otherwise."""
        head = self._head(key)
        if head is None:
            raise NotFoundError("no such object in the store", path=key)
        if not self.enforces_retention:
            raise StoreError(f"the bucket {self.bucket} has no Object Lock, so it cannot {action}: that "
                             "needs a bucket created with Object Lock enabled", path=key)
        return head

    def set_legal_hold(self, key: str, on: bool) -> None:
        head = self._lockable_head(key, "place a legal hold")
        args: dict[str, Any] = {"Bucket": self.bucket, "Key": self._key(key),
                                "LegalHold": {"Status": "ON" if on else "OFF"}}
        if head.get("VersionId"):
            args["VersionId"] = head["VersionId"]
        with self._calling("set the legal hold of", key):
            self.client.put_object_legal_hold(**args)

    def set_retention(self, key: str, retention: Retention) -> None:
        """PutObjectRetention on the current version, after checking that it only extends."""
        head = self._lockable_head(key, "keep a retention")
        current = self._info(key, head).retention
        if not check_retention_change(key, current, retention):
            return
        args: dict[str, Any] = {"Bucket": self.bucket, "Key": self._key(key),
                                "Retention": {"Mode": retention.mode, "RetainUntilDate": retention.until}}
        if head.get("VersionId"):
            args["VersionId"] = head["VersionId"]
        if current is not None and current.active() and current.mode == "GOVERNANCE" and retention.mode == "COMPLIANCE":
            # S3 counts leaving GOVERNANCE as altering it, even towards COMPLIANCE: it takes the
            # bypass (and the s3:BypassGovernanceRetention permission). The date was checked above.
            args["BypassGovernanceRetention"] = True
        with self._calling("set the retention of", key):
            self.client.put_object_retention(**args)

    def download_url(self, key: str, *, expires_seconds: int, filename: str | None = None) -> str:
        head = self._head(key)
        if head is None:
            raise NotFoundError("no such object in the store", path=key)
        params: dict[str, Any] = {"Bucket": self.bucket, "Key": self._key(key)}
        if head.get("VersionId"):
            params["VersionId"] = head["VersionId"]  # the link delivers the version checked now, nothing later
        if filename:
            params["ResponseContentDisposition"] = f'attachment; filename="{ascii_filename(filename)}"'
            # Named here too, not only at upload: some servers (SeaweedFS) drop the stored
            # Content-Type when retention is set on an existing version.
            params["ResponseContentType"] = _content_type({"filename": filename}, key)
        with self._calling("sign a link to", key):
            return self.client.generate_presigned_url("get_object", Params=params, ExpiresIn=expires_seconds)

    def check(self) -> None:
        """Fail start-up with one clear line if the bucket cannot be used; say if it has no Object Lock."""
        with self._calling("open", self.bucket):
            try:
                self.client.head_bucket(Bucket=self.bucket)
            except bex.ClientError as exc:
                if _code(exc) in ("404", "NoSuchBucket", "NotFound"):
                    raise self._error(_with_code(exc, "NoSuchBucket"), "open", self.bucket) from None
                if _code(exc) in _DENIED:
                    raise StoreError(f"access to the bucket {self.bucket}{self._at()} was refused: check the "
                                     "credentials (store.access_key_id / AWS_ACCESS_KEY_ID, store.profile) and "
                                     "the bucket policy") from None
                raise
        if not self.enforces_retention and self.where not in _warned_no_lock:
            _warned_no_lock.add(self.where)
            log.warning("the bucket %s has no Object Lock: retention of originals is not enforced "
                        "(create the bucket with Object Lock enabled to enforce it)", self.bucket)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close()


# -- client -----------------------------------------------------------------------------------
def _client(settings: StoreSettings):
    secret = settings.secret_access_key.get_secret_value()
    try:
        session = boto3.session.Session(
            profile_name=settings.profile or None,
            aws_access_key_id=settings.access_key_id or None,
            aws_secret_access_key=secret or None,
            region_name=settings.region or None,
        )
    except bex.ProfileNotFound:
        raise StoreError(f"the AWS profile {settings.profile!r} (store.profile) is not in ~/.aws/config") from None
    config = BotoConfig(
        retries={"mode": settings.retry_mode, "max_attempts": settings.max_attempts},
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
        s3={"addressing_style": settings.addressing_style},
        max_pool_connections=max(10, settings.max_concurrency * 2),
        # We checksum uploads ourselves (SHA-256) and verify every download against our own
        # SHA-256, so botocore's default CRC on top would only cost CPU.
        request_checksum_calculation="when_required",
        signature_version="s3v4",  # presigned links too (SigV2 is deprecated and refused by many servers)
        response_checksum_validation="when_required",
    )
    return session.client("s3", endpoint_url=settings.endpoint_url or None,
                          verify=str(settings.ca_bundle) if settings.ca_bundle else None, config=config)


def _code(exc: bex.ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _with_code(exc: bex.ClientError, code: str) -> bex.ClientError:
    exc.response.setdefault("Error", {})["Code"] = code
    return exc


def _meta_sha(head: dict[str, Any]) -> str | None:
    return (head.get("Metadata") or {}).get("sha256")


def _content_type(meta: dict[str, str], key: str = "") -> str:
    guessed, _ = mimetypes.guess_type(meta.get("filename") or key)
    return guessed or "application/octet-stream"


# -- checksums ---------------------------------------------------------------------------------
class Checksums:
    """A file's SHA-256, and the checksum S3 will report for it once uploaded."""

    def __init__(self, sha256: str, s3_checksum: str, parts: int, size: int):
        self.sha256, self.s3_checksum, self.parts, self.size = sha256, s3_checksum, parts, size


def file_checksums(path: Path, threshold: int, chunk: int) -> Checksums:
    """One pass over the file: its SHA-256 and S3's checksum of it.

    Below ``threshold`` S3 stores the plain SHA-256 (base64). At or above it the transfer manager
    uploads parts of ``chunk`` bytes (adjusted as it does), and S3 reports the composite
    checksum: the SHA-256 of the concatenated part digests, followed by ``-<number of parts>``.
    """
    size = path.stat().st_size
    full = hashlib.sha256()
    if size < threshold:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(_CHUNK), b""):
                full.update(block)
        return Checksums(full.hexdigest(), base64.b64encode(full.digest()).decode(), 0, size)
    part_size = ChunksizeAdjuster().adjust_chunksize(chunk, size)
    digests: list[bytes] = []
    with path.open("rb") as fh:
        while True:
            part = hashlib.sha256()
            left = part_size
            while left:
                block = fh.read(min(_CHUNK, left))
                if not block:
                    break
                full.update(block)
                part.update(block)
                left -= len(block)
            if left == part_size:
                break
            digests.append(part.digest())
            if left:
                break
    composite = base64.b64encode(hashlib.sha256(b"".join(digests)).digest()).decode()
    return Checksums(full.hexdigest(), f"{composite}-{len(digests)}", len(digests), size)


# -- metadata ----------------------------------------------------------------------------------
# Printable ASCII except '%', which marks an encoded byte; everything else is percent-encoded.
_SAFE = "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) != "%")


def encode_metadata(meta: dict[str, str]) -> dict[str, str]:
    """S3 user metadata is ASCII: percent-encode the UTF-8 of anything else (reversible)."""
    return {k.lower(): urllib.parse.quote(str(v), safe=_SAFE) for k, v in meta.items()}


def decode_metadata(meta: dict[str, str]) -> dict[str, str]:
    return {k: urllib.parse.unquote(v) for k, v in meta.items()}


def ascii_filename(name: str) -> str:
    """A file name safe inside a quoted Content-Disposition: accents folded, quotes dropped."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    cleaned = "".join(c for c in folded if c.isprintable() and c not in '"\\')
    return cleaned.strip() or "document"
