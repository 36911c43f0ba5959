"""Moving files between the office's folders without ever overwriting or losing one."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from .records import utcnow


def unique_destination(folder: Path, relative: str) -> Path:
    """``folder/relative``, or ``name (2).ext``, ``name (3).ext``… if that is taken."""
    dest = folder / relative
    if not dest.exists() and not dest.is_symlink():
        return dest
    stem, suffix = dest.stem, dest.suffix
    for n in range(2, 100000):
        candidate = dest.with_name(f"{stem} ({n}){suffix}")
        if not candidate.exists() and not candidate.is_symlink():
            return candidate
    raise FileExistsError(dest)


def move_file(src: Path, folder: Path, relative: str) -> Path:
    """Move ``src`` to ``folder/relative`` under a free name; works across file systems."""
    dest = unique_destination(folder, relative)
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
    tmp.write_text(json.dumps({"time": utcnow().isoformat(), **note}, indent=2, ensure_ascii=False, default=str))
    os.replace(tmp, path)
    return path
