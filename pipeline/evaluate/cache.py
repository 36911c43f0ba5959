"""A developer's cache of what reading produced, so extraction can be iterated on without
re-running OCR on every scan.

Keyed by the file's SHA-256, the OCR settings, a fingerprint of the reading code
(``pipeline/text``, the photo reader's judge and the labels it reads by), the Tesseract and
Leptonica versions that read (another library reads other words from the same pixels) and the
content of the language data read with (so do other models), so changing any reads the file again. Never used by the product; a reported figure must say when its reading
came from here.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import threading
from functools import lru_cache
from pathlib import Path

from ..config import Settings
from ..records import Page
from ..text import engine

_FORMAT = 1


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    text_dir = Path(__file__).resolve().parent.parent / "text"
    digest = hashlib.sha256()
    # The photo reader asks extraction's judge which lines to read again (and it asks the till's
    # date reader, and the date and amount readers under it, whether a sure line holds a date or
    # a figure, and the readings' dates whether they tie): part of the reading.
    judges = [text_dir.parent / "extract" / name for name in (
        "receipt_look.py", "receipt_dates.py", "receipt.py", "receipt_date_forms.py", "receipt_date_vote.py",
        "dates.py", "amounts.py")]
    for source in [*sorted(text_dir.glob("*.py")), *judges]:
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class ReadCache:
    def __init__(self, folder: Path):
        self.folder = folder

    def key(self, path: Path, settings: Settings) -> str:
        ocr = settings.ocr.model_dump_json()
        library = engine.version(settings.ocr.engine)
        models = engine.language_data(settings.ocr.engine, settings.ocr.languages)
        # The judge finds the lines to read again by the vocabulary's labels (a total's, a tendered
        # amount's): a label added there changes what is read again.
        labels = _file_sha256(settings.extract_vocabulary)
        digest = hashlib.sha256(f"{_FORMAT}|{_file_sha256(path)}|{ocr}|{_code_fingerprint()}|{library}|{models}|{labels}".encode())
        return digest.hexdigest()

    def get(self, key: str) -> tuple[str, list[Page]] | None:
        entry = self.folder / key[:2] / f"{key}.pickle"
        try:
            with entry.open("rb") as fh:
                return pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            return None

    def put(self, key: str, media_type: str, pages: list[Page]) -> None:
        entry = self.folder / key[:2] / f"{key}.pickle"
        entry.parent.mkdir(parents=True, exist_ok=True)
        # A name of its own per writer: two files with the same bytes (a corpus's duplicates) share
        # a key, and their readers, running side by side, wrote one temporary file; the second
        # rename found it gone and the file was reported unreadable.
        tmp = entry.with_name(f"{entry.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump((media_type, pages), fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(entry)
