"""Moving files between the office's folders without ever overwriting or losing one.

Scanners and people produce every kind of file name: control characters, bytes that are not
UTF-8, names at the file system's 255-byte limit. Destinations keep the name where they can,
shorten it where they must (keeping the extension), and never leave the target folder.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from .records import utcnow

NAME_MAX = 255  # bytes, on every common Linux file system
# Room kept for " (NNN)" and ".error.json" / ".duplicate.json" beside a file.
_RESERVED = len(" (99999)") + len(".duplicate.json")


def display_name(name: str) -> str:
    """A printable, valid-UTF-8 form of a file name for notes, records and logs."""
    text = os.fsencode(name).decode("utf-8", "replace")
    return "".join(ch if ch.isprintable() else "\ufffd" for ch in text)


def _fit(name: str) -> str:
    """Shorten a name so that it and its notes fit in NAME_MAX bytes, keeping the extension."""
    limit = NAME_MAX - _RESERVED
    if len(os.fsencode(name)) <= limit:
        return name
    stem, ext = os.path.splitext(name)
    if len(ext) > 10:
        stem, ext = name, ""
    budget = limit - len(os.fsencode(ext)) - len("…".encode())
    # fsdecode keeps a multi-byte character cut in half as escaped bytes: still a valid name.
    return os.fsdecode(os.fsencode(stem)[:budget]) + "…" + ext


def safe_relative(relative: str) -> Path:
    """``relative`` as a path that stays inside its folder: no absolute part, no '..'."""
    parts = [p for p in Path(relative).parts if p not in ("", ".", "..", "/")]
    if not parts:
        parts = ["unnamed"]
    return Path(*parts[:-1], _fit(parts[-1]))


def unique_destination(folder: Path, relative: str) -> Path:
    """``folder/relative``, or ``name (2).ext``, ``name (3).ext``… if that is taken."""
    dest = folder / safe_relative(relative)
    if not dest.exists() and not dest.is_symlink():
        return dest
    stem, suffix = dest.stem, dest.suffix
    for n in range(2, 100000):
        candidate = dest.with_name(f"{stem} ({n}){suffix}")
        if not candidate.exists() and not candidate.is_symlink():
            return candidate
    raise FileExistsError(dest)


def move_file(src: Path, dest: Path) -> Path:
    """Move ``src`` to ``dest`` (a free name from ``unique_destination``); works across file
    systems and never follows a symbolic link."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.rename(src, dest)
    except OSError:
        # Another file system (an inbox on a network share): copy, sync, then remove.
        tmp = dest.with_name(f".{dest.name}.part")
        shutil.copy2(src, tmp, follow_symlinks=False)
        os.replace(tmp, dest)
        os.unlink(src)
    return dest


def write_note(path: Path, note: dict[str, Any]) -> Path:
    """Write a JSON note atomically beside a file (``NAME.error.json`` / ``NAME.duplicate.json``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_text(json.dumps({"time": utcnow().isoformat(), **note}, indent=2, ensure_ascii=False, default=str),
                   encoding="utf-8")
    os.replace(tmp, path)
    return path
