"""The embedded store: a local folder with the same key layout as the S3 bucket.

Writes go to a temporary file in the same folder, are fsynced, then renamed into place, so a
crash leaves either the old object or the new one. Metadata sits in ``<key>.meta.json``.

A rename is durable once its folder is fsynced. Alone, a write fsyncs its file, renames it and
fsyncs its folder at once. Inside ``durable_batch()`` (filing one document writes half a dozen
objects) the writes are staged: each is written to its temporary file, and published together
with the others at the end of the batch, before the batch deletes anything, or before it reads
or rewrites a staged key, whichever comes first. Publishing fsyncs every staged file at once,
together with the folders changed before them, then renames them and fsyncs their folders at
once: each fsync forces a journal commit on its own, while fsyncs issued together share one
(48 small files here: 172 ms one after another, 18 ms together). Each file is still fsynced
before its rename, so an object that is there after a power cut is always whole; nothing
written later becomes durable before what was done ahead of it; a delete never becomes durable
before the objects written ahead of it, and the caller marks its job done only after the batch.

Retention and legal holds are recorded in the metadata and enforced by this class (delete and
overwrite are refused), so the archive behaves the same on a laptop as on a locked bucket.
Anyone with access to the folder can still remove files: only Object Lock makes it binding.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from ..errors import IntegrityError, NotFoundError, StoreError
from .base import ObjectInfo, Retention, check_retention_change, refuse_if_locked

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
    enforces_retention = True  # by this class, against Archivio's own writes (see the module note)
    makes_download_links = False  # nothing serves the folder over HTTP: the API streams originals
    creates_exclusively = True  # a hard link fails if the name exists, across processes on this machine

    def __init__(self, root: Path):
        self.root = Path(root)
        # Per thread, inside a batch: folders changed and not yet fsynced, and staged writes.
        self._batch = threading.local()

    # -- durability -------------------------------------------------------------------------
    @contextlib.contextmanager
    def durable_batch(self) -> Iterator[None]:
        """Every write inside is durable when the block ends (even by an exception); writes are
        staged and published together (see the module note). Nested batches join the outer one."""
        if getattr(self._batch, "folders", None) is not None:
            yield
            return
        self._batch.folders = {}
        self._batch.staged = []
        try:
            yield
        finally:
            try:
                self._flush()
            finally:
                for left in self._batch.staged:  # only when publishing failed: never renamed
                    left.discard()
                self._batch.folders = None
                self._batch.staged = None

    def _renamed_into(self, folder: Path) -> None:
        folders = getattr(self._batch, "folders", None)
        if folders is None:
            _fsync_dir(folder)
        else:
            folders[folder] = None

    def _flush(self) -> None:
        """Publish the batch's staged writes and make everything it changed durable, before
        anything that depends on them."""
        folders = getattr(self._batch, "folders", None)
        staged = getattr(self._batch, "staged", None)
        if not folders and not staged:
            return
        # The staged bytes, and the entries changed ahead of them (new folders, created objects),
        # durable before any staged name appears.
        earlier = list(folders)
        _sync_together([s.fd for s in staged], earlier)
        for folder in earlier:
            folders.pop(folder, None)
        while staged:
            item = staged[0]
            os.replace(item.tmp, item.dest)
            staged.pop(0)
            item.close()
            self._renamed_into(item.dest.parent)
        renamed = list(folders)
        _sync_together([], renamed)
        for folder in renamed:
            folders.pop(folder, None)

    def _settle(self, key: str | None = None) -> None:
        """Publish the staged writes before ``key`` is read or written again (any key: None)."""
        staged = getattr(self._batch, "staged", None)
        if not staged:
            return
        if key is not None:
            path = self._path(key)
            meta = path.with_name(path.name + _META)
            if not any(item.dest in (path, meta) for item in staged):
                return
        self._flush()

    def _make_folder(self, folder: Path) -> None:
        """Create ``folder`` and its missing parents; a new folder's own name is made durable
        like a renamed object's (its parent is fsynced), or a power cut could lose the folder."""
        if folder.is_dir():
            return
        missing = []
        at = folder
        while not at.exists() and at != at.parent:
            missing.append(at)
            at = at.parent
        folder.mkdir(parents=True, exist_ok=True)
        for made in reversed(missing):
            self._renamed_into(made.parent)

    # -- helpers ------------------------------------------------------------------------
    def _path(self, key: str) -> Path:
        if not key or key.startswith("/") or ".." in key.split("/") or key.endswith(_META):
            raise StoreError(f"invalid object key: {key!r}")
        return self.root / key

    def _meta_path(self, key: str) -> Path:
        path = self._path(key)
        return path.with_name(path.name + _META)

    def _write_atomic(self, dest: Path, writer, sha256: Callable[[], str] | None = None) -> None:
        """Write ``dest`` through a temporary file and one rename; ``sha256`` (called once the bytes
        are written) is stamped on the same inode, so bytes and hash are replaced together.
        Inside a batch the rename is staged (``_flush``)."""
        self._make_folder(dest.parent)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".tmp-", suffix=".part")
        item = _Staged(fd, tmp, dest)
        try:
            with os.fdopen(fd, "wb", closefd=False) as fh:
                writer(fh)
                fh.flush()
                if sha256 is not None:
                    _stamp(fh.fileno(), sha256())
            staged = getattr(self._batch, "staged", None)
            if staged is not None:
                staged.append(item)
                return
            os.fsync(fd)
            item.close()
            os.replace(tmp, dest)
            self._renamed_into(dest.parent)
        except BaseException:
            item.discard()
            raise

    def _write_meta(self, key: str, meta: dict) -> None:
        data = json.dumps(meta, indent=1).encode()
        self._write_atomic(self._meta_path(key), lambda fh: fh.write(data))

    def _read_meta(self, key: str) -> dict:
        try:
            return json.loads(self._meta_path(key).read_text())
        except (OSError, ValueError):
            return {}

    def _expected_sha(self, key: str) -> str | None:
        """The hash stamped on the object itself (replaced with it in one rename); the sidecar's
        for objects written before the stamp, or copied by a tool that drops extended attributes."""
        return _stamped(self._path(key)) or self._read_meta(key).get("sha256")

    def _refuse_if_locked(self, key: str, doing: str) -> None:
        if self._path(key).exists():
            refuse_if_locked(self.info(key), doing)

    # -- ObjectStore --------------------------------------------------------------------
    def put_file(self, key: str, path: Path, *, sha256: str | None = None, metadata: dict[str, str] | None = None,
                 retention: Retention | None = None) -> None:
        self._settle(key)
        dest = self._path(key)
        if sha256 and dest.exists() and self._expected_sha(key) == sha256:
            return  # content-addressed and already there: never rewritten
        self._refuse_if_locked(key, "overwritten")

        digest = hashlib.sha256()

        def copy(fh):
            with Path(path).open("rb") as src:
                for chunk in iter(lambda: src.read(_CHUNK), b""):
                    digest.update(chunk)
                    fh.write(chunk)

        if sha256:
            # Check before the rename so that a wrong file never appears under a content address.
            def copy_checked(fh):
                copy(fh)
                if digest.hexdigest() != sha256:
                    raise IntegrityError(f"{path} changed while it was being stored (SHA-256 differs)",
                                         path=str(path))

            self._write_atomic(dest, copy_checked, digest.hexdigest)
        else:
            self._write_atomic(dest, copy, digest.hexdigest)
        self._write_meta(key, _meta(digest.hexdigest(), metadata or {}, retention, False))

    def put_bytes(self, key: str, data: bytes, *, metadata: dict[str, str] | None = None,
                  content_type: str = "application/octet-stream") -> None:
        self._settle(key)
        self._refuse_if_locked(key, "overwritten")
        sha = hashlib.sha256(data).hexdigest()
        # A reader between this rename and the sidecar's sees new bytes with their own hash.
        self._write_atomic(self._path(key), lambda fh: fh.write(data), lambda: sha)
        if metadata:
            self._write_meta(key, _meta(sha, metadata, None, False))
        elif self._meta_path(key).exists():
            self._settle(key)  # the new bytes are in place (and durable) before their old sidecar goes
            self._meta_path(key).unlink(missing_ok=True)

    def create_bytes(self, key: str, data: bytes, *, content_type: str = "application/octet-stream") -> bool:
        """Write ``key`` only if no object has it yet: True if it now holds ``data``, False if another
        writer's object was there first.

        The audit chain and record versions rely on it (``pipeline.store.exclusive``) so that two
        processes can never both write the same entry. A hard link of a complete temporary file
        is atomic and fails if the name exists.
        """
        self._settle()  # created in the order asked: after what the batch staged before
        dest = self._path(key)
        self._make_folder(dest.parent)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.link(tmp, dest)
            except FileExistsError:
                return dest.read_bytes() == data  # same bytes: an earlier attempt of this same write
            self._renamed_into(dest.parent)
            return True
        finally:
            Path(tmp).unlink(missing_ok=True)

    def get_file(self, key: str, dest: Path, *, sha256: str | None = None, check: bool = True) -> None:
        self._settle(key)
        src = self._path(key)
        if not src.exists():
            raise NotFoundError("no such object in the store", path=key)
        dest = Path(dest)
        digest = hashlib.sha256()
        part = dest.with_name(f".{dest.name}.part")
        try:
            with src.open("rb") as fin, part.open("wb") as fout:
                expected = (sha256 or _stamped(fin.fileno()) or self._read_meta(key).get("sha256")) if check else None
                for chunk in iter(lambda: fin.read(_CHUNK), b""):
                    digest.update(chunk)
                    fout.write(chunk)
            if expected and digest.hexdigest() != expected:
                raise IntegrityError(f"stored object is damaged: its SHA-256 is {digest.hexdigest()}, "
                                     f"expected {expected}", path=key)
            os.replace(part, dest)
        finally:
            part.unlink(missing_ok=True)

    def get_bytes(self, key: str) -> bytes:
        self._settle(key)
        try:
            with self._path(key).open("rb") as fh:
                # The hash from the inode that was read: a writer's rename in between cannot mix them.
                expected = _stamped(fh.fileno()) or self._read_meta(key).get("sha256")
                data = fh.read()
        except FileNotFoundError:
            raise NotFoundError("no such object in the store", path=key) from None
        if expected and hashlib.sha256(data).hexdigest() != expected:
            raise IntegrityError("stored object is damaged: its SHA-256 differs from the one recorded", path=key)
        return data

    def local_path(self, key: str) -> Path:
        """Where the object's bytes lie on disk (local store only: lets readers skip a copy)."""
        self._settle(key)
        path = self._path(key)
        if not path.exists():
            raise NotFoundError("no such object in the store", path=key)
        return path

    def exists(self, key: str) -> bool:
        self._settle(key)
        return self._path(key).exists()

    def info(self, key: str) -> ObjectInfo:
        self._settle(key)
        path = self._path(key)
        if not path.exists():
            raise NotFoundError("no such object in the store", path=key)
        meta = self._read_meta(key)
        retention = None
        if meta.get("retention"):
            r = meta["retention"]
            retention = Retention(r["mode"], dt.datetime.fromisoformat(r["until"]))
        return ObjectInfo(key, path.stat().st_size, _stamped(path) or meta.get("sha256"), meta.get("metadata", {}), retention,
                          bool(meta.get("legal_hold")))

    def delete(self, key: str) -> None:
        path = self._path(key)
        self._refuse_if_locked(key, "deleted")
        self._flush()  # what was written before (the filed copy of an incoming original) is durable first
        path.unlink(missing_ok=True)
        self._meta_path(key).unlink(missing_ok=True)

    def iter_keys(self, prefix: str) -> Iterator[str]:
        self._settle()
        base = self.root
        if not base.exists():
            return
        folder = prefix.rsplit("/", 1)[0] if "/" in prefix else ""
        if folder and not (base / folder).is_dir():
            # Every key with this prefix would lie in that folder: none. (Walking the whole store
            # instead cost each new document's filing a listing of the archive, for its audit.)
            return
        start = base / folder if folder else base
        for dirpath, dirnames, filenames in os.walk(start):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(_META) or name.startswith(".tmp-") or name == ".write-test":
                    continue
                key = Path(dirpath, name).relative_to(base).as_posix()
                if key.startswith(prefix):
                    yield key

    def copy(self, src: str, dest: str, *, metadata: dict[str, str] | None = None,
             retention: Retention | None = None) -> None:
        self._settle(src)
        self._settle(dest)
        source = self._path(src)
        if not source.exists():
            raise NotFoundError("no such object in the store", path=src)
        meta = self._read_meta(src)
        sha = self._expected_sha(src) or sha256_file(source)
        target = self._path(dest)
        old = {**self._read_meta(dest), "sha256": self._expected_sha(dest)} if target.exists() else None
        if old is None or old.get("sha256") != sha:
            self._refuse_if_locked(dest, "overwritten")
            old = None

            def write(fh):
                with source.open("rb") as fin:
                    shutil.copyfileobj(fin, fh, _CHUNK)

            self._write_atomic(target, write, lambda: sha)
        kept = _later(_retention(old), retention) if old else retention
        self._write_meta(dest, _meta(sha, {**meta.get("metadata", {}), **(metadata or {})}, kept,
                                     bool(old and old.get("legal_hold"))))

    def set_legal_hold(self, key: str, on: bool) -> None:
        self._settle(key)
        if not self._path(key).exists():
            raise NotFoundError("no such object in the store", path=key)
        meta = self._read_meta(key)
        meta["legal_hold"] = on
        self._write_meta(key, meta)

    def set_retention(self, key: str, retention: Retention) -> None:
        self._settle(key)
        if not self._path(key).exists():
            raise NotFoundError("no such object in the store", path=key)
        meta = self._read_meta(key)
        if check_retention_change(key, _retention(meta), retention):
            meta["retention"] = {"mode": retention.mode, "until": retention.until.isoformat()}
            self._write_meta(key, meta)

    def download_url(self, key: str, *, expires_seconds: int, filename: str | None = None) -> str:
        raise StoreError("the local store cannot make download links (that needs the S3 store); "
                         "write the original to a file with `archivio get ID -o FILE` instead")

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


def _meta(sha256: str, metadata: dict[str, str], retention: Retention | None, legal_hold: bool) -> dict:
    meta: dict = {"sha256": sha256, "metadata": metadata}
    if retention:
        meta["retention"] = {"mode": retention.mode, "until": retention.until.isoformat()}
    if legal_hold:
        meta["legal_hold"] = True
    return meta


def _retention(meta: dict | None) -> Retention | None:
    r = (meta or {}).get("retention")
    return Retention(r["mode"], dt.datetime.fromisoformat(r["until"])) if r else None


def _later(old: Retention | None, new: Retention | None) -> Retention | None:
    """Retention is extended, never shortened (as S3 Object Lock does)."""
    if old is None or (new is not None and new.until > old.until):
        return new or old
    return old


_XATTR = "user.archivio.sha256"


def _stamp(fd: int, sha256: str) -> None:
    try:
        os.setxattr(fd, _XATTR, sha256.encode())
    except OSError:
        pass  # no user attributes on this file system: the sidecar alone holds the hash


def _stamped(path: Path | int) -> str | None:
    try:
        return os.getxattr(path, _XATTR).decode()
    except OSError:
        return None


@dataclass
class _Staged:
    """A write whose bytes are in its temporary file, waiting to be fsynced and renamed."""

    fd: int
    tmp: str
    dest: Path

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def discard(self) -> None:
        self.close()
        Path(self.tmp).unlink(missing_ok=True)


_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _sync_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="archivio-fsync")
        return _pool


def _forget_pool() -> None:
    global _pool
    _pool = None  # a forked child has none of its parent's threads


os.register_at_fork(after_in_child=_forget_pool)


def _sync_together(fds: list[int], folders: list[Path]) -> None:
    """fsync the files and folders at the same time: the file system commits its journal once
    for all the fsyncs waiting on it, instead of once for each."""
    jobs = [(os.fsync, fd) for fd in fds] + [(_fsync_dir, folder) for folder in folders]
    if len(jobs) <= 1:
        for call, arg in jobs:
            call(arg)
        return
    futures = [_sync_pool().submit(call, arg) for call, arg in jobs[1:]]
    try:
        jobs[0][0](jobs[0][1])
    finally:
        wait(futures)  # none may still be running on a descriptor the caller then closes
    for future in futures:
        future.result()


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
