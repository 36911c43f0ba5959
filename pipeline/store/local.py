"""The embedded store: a local folder with the same key layout as the S3 bucket.

Writes go to a temporary file in the same folder, are fsynced, then renamed into place, so a
crash leaves either the old object or the new one. Metadata sits in ``<key>.meta.json``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import IntegrityError, NotFoundError, StoreError
from .base import ObjectInfo, Retention

_META = ".meta.json"
_CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


class LocalStore:
    name = "local"

    def __init__(self, root: Path):
        self.root = Path(root)

    # -- helpers ------------------------------------------------------------------------
    def _path(self, key: str) -> Path:
        if key.startswith("/") or ".." in key.split("/") or key.endswith(_META):
            raise StoreError(f"invalid object key: {key!r}")
        return self.root / key

    def _write_atomic(self, dest: Path, writer) -> None:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as fh:
                writer(fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, dest)
            _fsync_dir(dest.parent)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _write_meta(self, key: str, sha256: str | None, metadata: dict[str, str] | None,
                    retention: Retention | None) -> None:
        meta = {"sha256": sha256, "metadata": metadata or {}}
        if retention:
            meta["retention"] = {"mode": retention.mode, "until": retention.until.isoformat()}
        data = json.dumps(meta, indent=1).encode()
        self._write_atomic(self._path(key).with_name(self._path(key).name + _META), lambda fh: fh.write(data))

    def _read_meta(self, key: str) -> dict:
        meta = self._path(key).with_name(self._path(key).name + _META)
        try:
            return json.loads(meta.read_text())
        except (OSError, ValueError):
            return {}

    # -- ObjectStore --------------------------------------------------------------------
    def put_file(self, key: str, path: Path, *, sha256: str | None = None, metadata: dict[str, str] | None = None,
                 retention: Retention | None = None) -> None:
        dest = self._path(key)
        if sha256 and dest.exists() and self._read_meta(key).get("sha256") == sha256:
            return  # content-addressed and already there: never rewritten

        digest = hashlib.sha256()

        def copy(fh):
            with Path(path).open("rb") as src:
                for chunk in iter(lambda: src.read(_CHUNK), b""):
                    digest.update(chunk)
                    fh.write(chunk)

        self._write_atomic(dest, copy)
        if sha256 and digest.hexdigest() != sha256:
            dest.unlink(missing_ok=True)
            raise IntegrityError(f"{path} changed while it was being stored (SHA-256 differs)", path=str(path))
        self._write_meta(key, sha256 or digest.hexdigest(), metadata, retention)

    def put_bytes(self, key: str, data: bytes, *, metadata: dict[str, str] | None = None,
                  content_type: str = "application/octet-stream") -> None:
        self._write_atomic(self._path(key), lambda fh: fh.write(data))
        if metadata:
            self._write_meta(key, hashlib.sha256(data).hexdigest(), metadata, None)

    def create_bytes(self, key: str, data: bytes, *, content_type: str = "application/octet-stream") -> bool:
        """Write ``key`` only if no object has it yet; False when another writer got there first.

        Optional capability (see ``pipeline.store.exclusive``): the audit chain and record
        versions rely on it so that two processes can never both write the same entry. A hard
        link of a complete temporary file is atomic and fails if the name exists.
        """
        dest = self._path(key)
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.link(tmp, dest)
            except FileExistsError:
                return False
            _fsync_dir(dest.parent)
            return True
        finally:
            Path(tmp).unlink(missing_ok=True)

    def get_file(self, key: str, dest: Path, *, sha256: str | None = None) -> None:
        src = self._path(key)
        if not src.exists():
            raise NotFoundError(f"no object {key} in the store", path=key)
        digest = hashlib.sha256()
        with src.open("rb") as fin, Path(dest).open("wb") as fout:
            for chunk in iter(lambda: fin.read(_CHUNK), b""):
                digest.update(chunk)
                fout.write(chunk)
        if sha256 and digest.hexdigest() != sha256:
            raise IntegrityError(f"stored object {key} is damaged: its SHA-256 is {digest.hexdigest()}, "
                                 f"expected {sha256}", path=key)

    def get_bytes(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise NotFoundError(f"no object {key} in the store", path=key) from None

    def local_path(self, key: str) -> Path:
        """Where the object's bytes lie on disk (local store only: lets readers skip a copy)."""
        path = self._path(key)
        if not path.exists():
            raise NotFoundError(f"no object {key} in the store", path=key)
        return path

    def exists(self, key: str) -> bool:
        return self._path(key).exists()

    def info(self, key: str) -> ObjectInfo:
        path = self._path(key)
        if not path.exists():
            raise NotFoundError(f"no object {key} in the store", path=key)
        meta = self._read_meta(key)
        retention = None
        if meta.get("retention"):
            r = meta["retention"]
            retention = Retention(r["mode"], dt.datetime.fromisoformat(r["until"]))
        return ObjectInfo(key, path.stat().st_size, meta.get("sha256"), meta.get("metadata", {}), retention,
                          bool(meta.get("legal_hold")))

    def delete(self, key: str) -> None:
        path = self._path(key)
        path.unlink(missing_ok=True)
        path.with_name(path.name + _META).unlink(missing_ok=True)

    def iter_keys(self, prefix: str) -> Iterator[str]:
        base = self.root
        if not base.exists():
            return
        start = base / prefix if prefix and (base / prefix).is_dir() else base
        for dirpath, dirnames, filenames in os.walk(start):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(_META) or name.startswith(".tmp-"):
                    continue
                key = Path(dirpath, name).relative_to(base).as_posix()
                if key.startswith(prefix):
                    yield key

    def copy(self, src: str, dest: str, *, metadata: dict[str, str] | None = None,
             retention: Retention | None = None) -> None:
        source = self._path(src)
        meta = self._read_meta(src)
        target = self._path(dest)
        if not (target.exists() and self._read_meta(dest).get("sha256") == meta.get("sha256")):
            def write(fh):
                with source.open("rb") as fin:
                    shutil.copyfileobj(fin, fh, _CHUNK)

            self._write_atomic(target, write)
        self._write_meta(dest, meta.get("sha256"), {**meta.get("metadata", {}), **(metadata or {})}, retention)

    def check(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            probe = self.root / ".write-test"
            probe.write_bytes(b"ok")
            probe.unlink()
        except OSError as exc:
            raise StoreError(f"the store folder {self.root} is not writable: {exc}", path=str(self.root)) from None

    def close(self) -> None:
        pass


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
