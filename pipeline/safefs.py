"""Files in the office's folders, reached only through directory descriptors.

Anyone who may write to the inbox may also replace a folder in it by a symbolic link to
somewhere else, between the moment a file settled and the moment it is taken. A path string
would then lead outside: ``lstat``, ``open`` and ``rename`` all follow a link in a *parent*
component. So every file under a root (inbox, processed, quarantine, duplicates) is reached
from the root's descriptor one component at a time with ``O_NOFOLLOW``, checked to be the
very file that settled (device, inode, size, modification time), read through the descriptor
that was checked, and moved with ``renameat2(RENAME_NOREPLACE)`` relative to the two folders'
descriptors — never by path, never over another file.

The roots themselves are opened by path: they are the administrator's configuration.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import hashlib
import os
import stat as st
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import CannotRemove, FileChanged, OutsideRoot

_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
# O_NONBLOCK: a FIFO planted in the inbox must not hang the watcher (only regular files are opened anyway).
_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
_CHUNK = 1 << 20
_RENAME_NOREPLACE = 1
_FS_IOC_GETFLAGS = 0x80086601
_IMMUTABLE_OR_APPEND = 0x10 | 0x20  # FS_IMMUTABLE_FL | FS_APPEND_FL

Signature = tuple[int, int, int, int]  # device, inode, size, mtime_ns


def signature(s: os.stat_result) -> Signature:
    return (s.st_dev, s.st_ino, s.st_size, s.st_mtime_ns)


def parts_of(relative: str | Path) -> list[str]:
    """Components of a relative path; '..', '.' and absolute parts never reach a system call."""
    parts = [p for p in Path(relative).parts if p not in ("", ".", "/")]
    if not parts or ".." in parts:
        raise OutsideRoot(f"{relative!s} is not a path inside the folder", path=str(relative))
    return parts


def open_root(root: Path) -> int:
    return os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)


def open_dirs(root_fd: int, parts: list[str], *, create: bool = False, where: str = "") -> int:
    """A new descriptor of ``root/parts...``, refusing a symbolic link at every step."""
    fd = os.dup(root_fd)
    try:
        for part in parts:
            if create:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, 0o777, dir_fd=fd)
            try:
                nxt = os.open(part, _DIR, dir_fd=fd)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise OutsideRoot(f"the folder {part!r} is a symbolic link or not a folder; links are "
                                      "never followed", path=where or part) from None
                raise
            os.close(fd)
            fd = nxt
        return fd
    except BaseException:
        os.close(fd)
        raise


def _open_parent(root: Path, parts: list[str], *, create: bool = False, where: str = "") -> int:
    """A descriptor of the folder holding ``root/parts...``, reached without following a link."""
    root_fd = open_root(root)
    try:
        return open_dirs(root_fd, parts[:-1], create=create, where=where)
    finally:
        os.close(root_fd)


def stat_beneath(root: Path, relative: str | Path) -> os.stat_result:
    """``lstat`` of ``root/relative`` without following a link anywhere on the way."""
    parts = parts_of(relative)
    dir_fd = _open_parent(root, parts, where=str(relative))
    try:
        return os.stat(parts[-1], dir_fd=dir_fd, follow_symlinks=False)
    finally:
        os.close(dir_fd)


@dataclass
class Opened:
    """One entry of a folder, held open: what was checked is what is read and moved."""

    root: Path
    relative: str
    dir_fd: int
    name: str
    stat: os.stat_result  # lstat of the entry when it was opened
    fd: int | None  # None for anything but a regular file (links and FIFOs are never opened)

    @property
    def is_regular(self) -> bool:
        return self.fd is not None

    @property
    def is_link(self) -> bool:
        return st.S_ISLNK(self.stat.st_mode)

    @property
    def proc_path(self) -> Path:
        """A path that opens this same inode again (for code that wants a path), whatever the folders become."""
        assert self.fd is not None
        return Path(f"/proc/self/fd/{self.fd}")

    def head(self, size: int = 1024) -> bytes:
        assert self.fd is not None
        return os.pread(self.fd, size, 0)

    def sha256(self) -> str:
        assert self.fd is not None
        digest = hashlib.sha256()
        offset = 0
        while chunk := os.pread(self.fd, _CHUNK, offset):
            digest.update(chunk)
            offset += len(chunk)
        return digest.hexdigest()

    def check_unchanged(self) -> None:
        """Raise FileChanged unless the entry still names the opened file, with its size and time."""
        try:
            now = os.stat(self.name, dir_fd=self.dir_fd, follow_symlinks=False)
        except FileNotFoundError:
            raise FileChanged("the file was moved or removed while it was being taken", path=self.relative) from None
        current = os.fstat(self.fd) if self.fd is not None else now
        if signature(now)[:2] != signature(self.stat)[:2] or signature(current) != signature(self.stat):
            raise FileChanged("the file changed while it was being taken", path=self.relative)

    def removable(self) -> str | None:
        """Why this entry could not be removed from its folder, or None if it can."""
        if not os.access(".", os.W_OK | os.X_OK, dir_fd=self.dir_fd, effective_ids=os.access in os.supports_effective_ids):
            return "the folder is not writable by the service"
        for fd in (self.fd, self.dir_fd):
            if fd is not None and _inode_flags(fd) & _IMMUTABLE_OR_APPEND:
                return "the file or its folder is immutable or append-only"
        return None

    def close(self) -> None:
        for fd in (self.fd, self.dir_fd):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self.fd = None
        self.dir_fd = -1

    def __enter__(self) -> Opened:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_beneath(root: Path, relative: str | Path, *, expect: Signature | None = None) -> Opened:
    """Open the entry ``root/relative``: never through a link, and only if it is the one expected.

    A final component that is a link (or a FIFO, a device…) is not opened: the caller gets an
    ``Opened`` without ``fd`` so that it can set the entry itself aside.
    """
    parts = parts_of(relative)
    dir_fd = _open_parent(root, parts, where=str(relative))
    name = parts[-1]
    try:
        entry = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        fd = None
        if st.S_ISREG(entry.st_mode):
            try:
                fd = os.open(name, _FILE, dir_fd=dir_fd)
            except OSError as exc:
                if exc.errno == errno.ELOOP:  # became a link after the lstat
                    raise FileChanged("the file was replaced while it was being taken", path=str(relative)) from None
                raise
            opened_stat = os.fstat(fd)
            if signature(opened_stat)[:2] != signature(entry)[:2]:
                os.close(fd)
                raise FileChanged("the file was replaced while it was being taken", path=str(relative))
            entry = opened_stat
        if expect is not None and signature(entry) != tuple(expect):
            if fd is not None:
                os.close(fd)
            raise FileChanged("the file is not the one that settled (replaced or changed since)", path=str(relative))
    except BaseException:
        os.close(dir_fd)
        raise
    return Opened(root, Path(*parts).as_posix(), dir_fd, name, entry, fd)


# -- moving without ever replacing -----------------------------------------------------------------
def _libc():
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


_LIBC = _libc()


def rename_noreplace(src_dir_fd: int, src: str, dst_dir_fd: int, dst: str) -> None:
    """``renameat2(..., RENAME_NOREPLACE)``; FileExistsError if ``dst`` is taken."""
    fn = getattr(_LIBC, "renameat2", None)
    if fn is not None:
        if fn(src_dir_fd, os.fsencode(src), dst_dir_fd, os.fsencode(dst), _RENAME_NOREPLACE) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
            raise OSError(code, os.strerror(code), dst)
    # No renameat2 here (old libc, some network file systems): a hard link also refuses to replace.
    os.link(src, dst, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd, follow_symlinks=False)
    os.unlink(src, dir_fd=src_dir_fd)


def _numbered(name: str, n: int) -> str:
    if n == 1:
        return name
    stem, ext = os.path.splitext(name)
    return f"{stem} ({n}){ext}"


def move_opened(opened: Opened, dest_root: Path, dest_relative: str | Path) -> Path:
    """Move the opened entry to ``dest_root/dest_relative`` (or ``name (2).ext``… if taken).

    Same file system: one rename of the very inode that was opened. Another file system:
    only if the source can be removed, a copy of the opened descriptor is made and the source
    removed; if that removal still fails the copy is taken back and CannotRemove raised, so a
    file that cannot leave is copied at most once, never again and again.
    """
    parts = parts_of(dest_relative)
    dst_dir = _open_parent(dest_root, parts, create=True, where=str(dest_relative))
    try:
        opened.check_unchanged()
        for n in range(1, 100000):
            candidate = _numbered(parts[-1], n)
            try:
                rename_noreplace(opened.dir_fd, opened.name, dst_dir, candidate)
            except FileExistsError:
                continue
            except OSError as exc:
                if exc.errno == errno.EXDEV:
                    _copy_across(opened, dst_dir, candidate)
                elif exc.errno in (errno.EPERM, errno.EACCES, errno.EROFS, errno.EBUSY):
                    raise CannotRemove(f"the file cannot be moved out of its folder ({exc.strerror}); it is left "
                                       "where it is", path=opened.relative) from None
                else:
                    raise
            _check_moved(opened, dst_dir, candidate)
            _fsync(dst_dir)
            return Path(dest_root, *parts[:-1], candidate)
        raise FileExistsError(str(dest_relative))
    finally:
        os.close(dst_dir)


def _check_moved(opened: Opened, dst_dir: int, name: str) -> None:
    """The name swapped between our check and the rename: put back what we moved, take nothing."""
    moved = os.stat(name, dir_fd=dst_dir, follow_symlinks=False)
    if signature(moved)[:2] != signature(opened.stat)[:2]:
        with contextlib.suppress(OSError):
            rename_noreplace(dst_dir, name, opened.dir_fd, opened.name)
        raise FileChanged("the file was replaced while it was being moved", path=opened.relative)


def _copy_across(opened: Opened, dst_dir: int, name: str) -> None:
    why = opened.removable()
    if why:
        raise CannotRemove(f"{why}; the file is left where it is", path=opened.relative)
    tmp = f".{name}.part"
    if opened.is_link:
        os.symlink(os.readlink(opened.name, dir_fd=opened.dir_fd), tmp, dir_fd=dst_dir)
    else:
        if opened.fd is None:
            raise CannotRemove("only regular files and links are moved across file systems", path=opened.relative)
        out = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644, dir_fd=dst_dir)
        try:
            offset = 0
            while chunk := os.pread(opened.fd, _CHUNK, offset):
                os.write(out, chunk)
                offset += len(chunk)
            os.fsync(out)
        finally:
            os.close(out)
    try:
        opened.check_unchanged()
        rename_noreplace(dst_dir, tmp, dst_dir, name)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp, dir_fd=dst_dir)
        raise
    try:
        os.unlink(opened.name, dir_fd=opened.dir_fd)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=dst_dir)  # our own copy: the original stays the only one
        raise CannotRemove(f"the file cannot be removed from its folder ({exc.strerror}); it is left where it is",
                           path=opened.relative) from None
    # The copy now stands where the check expects the moved inode.
    opened.stat = os.stat(name, dir_fd=dst_dir, follow_symlinks=False)


def unlink_opened(opened: Opened) -> None:
    """Remove the entry, but only while it still is the unchanged file that was taken."""
    why = opened.removable()
    if why:
        raise CannotRemove(f"{why}; the file is left where it is", path=opened.relative)
    opened.check_unchanged()
    try:
        os.unlink(opened.name, dir_fd=opened.dir_fd)
    except OSError as exc:
        if exc.errno in (errno.EPERM, errno.EACCES, errno.EROFS, errno.EBUSY):
            raise CannotRemove(f"the file cannot be removed from its folder ({exc.strerror}); it is left where it is",
                               path=opened.relative) from None
        raise


def write_beneath(root: Path, relative: str | Path, data: bytes) -> Path:
    """Write ``root/relative`` atomically (a note beside a file); folders on the way are never links."""
    parts = parts_of(relative)
    dir_fd = _open_parent(root, parts, create=True, where=str(relative))
    try:
        tmp = f".{parts[-1]}.part"
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp, dir_fd=dir_fd)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644, dir_fd=dir_fd)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        # A note replaces an older note of the same name; a link there is replaced, never followed.
        os.rename(tmp, parts[-1], src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        return Path(root, *parts)
    finally:
        os.close(dir_fd)


def unlink_beneath(root: Path, relative: str | Path) -> None:
    parts = parts_of(relative)
    dir_fd = _open_parent(root, parts, where=str(relative))
    try:
        os.unlink(parts[-1], dir_fd=dir_fd)
    finally:
        os.close(dir_fd)


def walk_beneath(root: Path) -> Iterator[str]:
    """Relative paths of the entries that are not folders under ``root``, without entering a link."""
    root_fd = open_root(root)
    try:
        yield from _walk(root_fd, [])
    finally:
        os.close(root_fd)


def _walk(dir_fd: int, prefix: list[str]) -> Iterator[str]:
    try:
        with os.scandir(dir_fd) as entries:
            listed = sorted((e.name, e.is_dir(follow_symlinks=False)) for e in entries)
    except OSError:
        return
    for name, is_dir in listed:
        if is_dir:
            try:
                sub = os.open(name, _DIR, dir_fd=dir_fd)
            except OSError:
                continue  # replaced by a link meanwhile, or unreadable: nothing to take there
            try:
                yield from _walk(sub, prefix + [name])
            finally:
                os.close(sub)
        else:
            yield "/".join(prefix + [name])


def _inode_flags(fd: int) -> int:
    try:
        return struct.unpack("l", fcntl.ioctl(fd, _FS_IOC_GETFLAGS, b"\0" * 8))[0]
    except OSError:
        return 0  # the file system keeps no such flags


def _fsync(dir_fd: int) -> None:
    with contextlib.suppress(OSError):
        os.fsync(dir_fd)
