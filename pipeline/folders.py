"""Moving files between the office's folders without ever overwriting or losing one.

Scanners and people produce every kind of file name: control characters, bytes that are not
UTF-8, names at the file system's 255-byte limit. Destinations keep the name where they can,
shorten it where they must (keeping the extension), and never leave the target folder.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from collections.abc import Callable
from typing import Any

from .records import utcnow
from .safefs import Opened, OutsideRoot, move_opened, unlink_beneath, write_beneath

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


def move_into(opened: Opened, folder: Path, relative: str | Path) -> Path:
    """Move the opened inbox entry to ``folder/relative`` (or a numbered free name beside it):
    the very inode that was checked, relative to the folders' descriptors, never over a file."""
    return move_opened(opened, folder, safe_relative(str(relative)))


def place_with_note(opened: Opened | None, folder: Path, relative: str, suffix: str, note: dict[str, Any],
                    before_move: Callable[[], None] | None = None) -> Path:
    """Move ``opened`` into ``folder`` with ``NAME<suffix>`` beside it, the note first: a crash in
    between leaves a note whose file is still in its old place, never a file without its reason."""
    planned = unique_destination(folder, relative)
    planned_rel = planned.relative_to(folder)
    write_note(folder, f"{planned_rel}{suffix}", note)
    if before_move is not None:
        before_move()
    if opened is None:
        return planned
    moved = move_into(opened, folder, planned_rel)
    if moved != planned:  # another process took the planned name meanwhile: the note follows the file
        write_note(folder, f"{moved.relative_to(folder)}{suffix}", note)
        with contextlib.suppress(OSError, OutsideRoot):
            unlink_beneath(folder, f"{planned_rel}{suffix}")
    return moved


def write_note(folder: Path, relative: str | Path, note: dict[str, Any]) -> Path:
    """Write a JSON note atomically (``NAME.error.json`` / ``NAME.duplicate.json``) under ``folder``."""
    data = json.dumps({"time": utcnow().isoformat(), **note}, indent=2, ensure_ascii=False, default=str)
    return write_beneath(folder, relative, data.encode("utf-8"))
