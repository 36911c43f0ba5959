"""Tesseract kept loaded in the process, or run as the ``tesseract`` command: one reading of an
image in, Tesseract's TSV records out (the columns of pytesseract's ``image_to_data``).

The command starts a process and loads the ita+eng models for every reading: about 0.15 s of
CPU each, a fifth of a receipt photo's plain reading and more on a photo read several times.
The ``api`` engine (``tesserocr``, built against the same libtesseract as the command, see
scripts/setup) loads them once per process and reads the same words with the same boxes and
confidences. Engines are created on first use, never in the fork server (``preload``): a worker
that never reads an image never loads one, and OpenMP reads OMP_THREAD_LIMIT when the library is
loaded, which the worker sets first. One engine reads one image at a time: the threads of a scan
read on lent cores (``pdf._Readers``) each take a free engine of the right languages, or make
one, and give it back, so a process holds as many as it ever read at once.

What the command's timeout guaranteed: a stuck reading is abandoned and the page comes back
empty with its reason (``OcrError``). The engine's deadline stops recognition the same way;
layout analysis before it is not interruptible in process, which the pool's per-document limit
(``workers.document_timeout``) covers by replacing the worker and quarantining the document
with its reason. A native crash likewise takes the worker, not just the page: the pool reports
it as ``WorkerCrashedError`` for the file. ``ocr.engine = "cli"`` keeps the command.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import logging
import os
import re
import subprocess
import threading
from pathlib import Path
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from PIL import Image

from ..errors import OcrError

if TYPE_CHECKING:
    from .ocr import OcrOptions

log = logging.getLogger(__name__)

# The columns pytesseract's Output.DICT gives, in TSV order.
COLUMNS = ("level", "page_num", "block_num", "par_num", "line_num", "word_num",
           "left", "top", "width", "height", "conf", "text")
_INT_COLUMNS = COLUMNS[:10]

_lock = threading.Lock()
_free: dict[tuple[str, bool], list[Any]] = {}
_fallback_said = False


def _forget_engines() -> None:
    # A forked child must not share its parent's engines (their memory is copied, their state
    # is the parent's): it makes its own on first use.
    global _lock
    _lock = threading.Lock()
    _free.clear()


os.register_at_fork(after_in_child=_forget_engines)


def _one_thread() -> None:
    """Tesseract on one thread unless the environment says otherwise. Archivio reads pages side by
    side itself (workers, a long scan's pages on lent cores); Tesseract's OpenMP threads only spin
    against them: a 40-page scan read in one process beside two busy workers took 201 s (64 s of it
    the kernel's) with OpenMP's default, 38 s on one thread. Set before the library is loaded
    (OpenMP reads it then) and inherited by the ``tesseract`` command."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def image_to_data(image: Image.Image, options: OcrOptions, number: int) -> dict[str, list]:
    """Tesseract's word records for ``image`` (TSV columns; ``conf`` as the command prints it)."""
    _one_thread()
    if options.engine == "api" and _api_available():
        return _api_data(image, options, number)
    return _cli_data(image, options, number)


def image_to_osd(image: Image.Image, options: OcrOptions) -> tuple[int, float] | None:
    """Degrees (clockwise) the page must turn to read upright and OSD's confidence; None when
    OSD finds too few characters to tell."""
    _one_thread()
    if options.engine == "api" and _api_available():
        return _api_osd(image)
    return _cli_osd(image, options.timeout)


# -- the engine kept loaded -----------------------------------------------------------------------
def _api_available() -> bool:
    global _fallback_said
    try:
        import tesserocr  # noqa: F401
    except ImportError as exc:
        if not _fallback_said:
            _fallback_said = True
            log.warning("tesserocr is not installed (%s): Tesseract runs as a command for each reading, "
                        "slower; scripts/setup installs it", exc)
        return False
    return True


_L_SEVERITY_NONE = 6


@functools.cache
def _quiet_leptonica() -> None:
    """Leptonica prints its complaints ("Error in boxClipToRectangle: box outside rectangle", on
    harmless odd boxes of a photo) to stderr. The command's stderr was pytesseract's to keep;
    in process they would run into the progress bar and the worker's log, so they are silenced."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "lept" in line.rsplit("/", 1)[-1]}
        for path in paths:
            ctypes.CDLL(path).setMsgSeverity(_L_SEVERITY_NONE)
    except (OSError, AttributeError) as exc:  # not Linux, or another Leptonica: only noisier
        log.debug("Leptonica messages not silenced: %s", exc)


def _new_engine(languages: str, dictionaries: bool):
    import tesserocr

    _quiet_leptonica()

    variables = {} if dictionaries else {"load_system_dawg": "0", "load_freq_dawg": "0"}
    try:
        return tesserocr.PyTessBaseAPI(path=_tessdata(), lang=languages, variables=variables)
    except RuntimeError as exc:
        raise OcrError(f"Tesseract cannot load the languages {languages!r}: {exc}") from None


@functools.cache
def _tessdata() -> str:
    """The language data the command reads (the system's ita/eng/osd files): TESSDATA_PREFIX,
    else the folder tesserocr was built to look in when it holds any, else the command's own.
    A tesserocr wheel looks in "./" and brings no data."""
    import tesserocr

    if os.environ.get("TESSDATA_PREFIX"):
        return os.environ["TESSDATA_PREFIX"]
    built_in, languages = tesserocr.get_languages()
    return built_in if languages else _listed_tessdata() or built_in


def _listed_tessdata() -> str:
    """The folder the ``tesseract`` command lists its languages from ("" when it cannot say)."""
    try:
        listing = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True,
                                 timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        listing = ""
    # 'List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (3):'
    found = re.search(r'"([^"]+)"', listing.splitlines()[0] if listing else "")
    return found.group(1) if found else ""


@functools.cache
def language_data(engine: str, languages: str) -> str:
    """A digest of the language data ``engine`` reads ``languages`` (and orientation) with: other
    models read other words from the same pixels, whether an updated package replaced the
    files or TESSDATA_PREFIX points elsewhere, so a cache of readings keys on it."""
    if engine == "api" and _api_available():
        folder = _tessdata()
    else:
        folder = os.environ.get("TESSDATA_PREFIX") or _listed_tessdata()
    digest = hashlib.sha256()
    for language in sorted(set(languages.split("+")) | {"osd"}):
        data = Path(folder) / f"{language}.traineddata"
        digest.update(language.encode())
        digest.update(data.read_bytes() if data.is_file() else b"missing")
    return digest.hexdigest()[:16]


@functools.cache
def version(engine: str) -> str:
    """The Tesseract and Leptonica that read with ``engine`` ("tesseract 5.5.4 leptonica-1.87.0"):
    the same settings read differently with another library, so a cache of readings keys on it."""
    if engine == "api" and _api_available():
        import tesserocr

        banner = tesserocr.tesseract_version()
    else:
        try:
            banner = subprocess.run(["tesseract", "--version"], capture_output=True, text=True,
                                    timeout=30).stdout
        except (OSError, subprocess.SubprocessError):
            banner = "tesseract missing"
    return " ".join(line.strip() for line in banner.splitlines()[:2])


@contextmanager
def _engine(languages: str, dictionaries: bool) -> Iterator[Any]:
    key = (languages, dictionaries)
    with _lock:
        stack = _free.setdefault(key, [])
        api = stack.pop() if stack else None
    if api is None:
        api = _new_engine(languages, dictionaries)
    kept = False
    try:
        yield api
        kept = True
    finally:
        if kept:
            with _lock:
                _free.setdefault(key, []).append(api)
        else:
            api.End()  # after a failure or a deadline, a fresh engine rather than a doubtful one


def _set_image(api, image: Image.Image) -> None:
    # Raw pixels, no file and no encoding: what the command read from an uncompressed TIFF
    # without a resolution tag (both leave the resolution to Tesseract's estimate).
    if image.mode not in ("L", "RGB"):
        image = image.convert("L")
    depth = 1 if image.mode == "L" else 3
    api.SetImageBytes(image.tobytes(), image.width, image.height, depth, image.width * depth)


def _recognise(api, timeout: float, what: str) -> None:
    started = time.monotonic()
    if api.Recognize(int(timeout * 1000) if timeout else 0):
        return
    if timeout and time.monotonic() - started >= timeout:
        raise OcrError(f"Tesseract timed out on {what} after {timeout:.0f} s (ocr.page_timeout)")
    raise OcrError(f"Tesseract failed on {what}")


def _api_data(image: Image.Image, options: OcrOptions, number: int) -> dict[str, list]:
    with _engine(options.languages, options.dictionaries) as api:
        api.SetPageSegMode(options.psm)
        api.SetVariable("thresholding_method", str(options.threshold_method))
        _set_image(api, image)
        _recognise(api, options.timeout, f"page {number}")
        tsv = api.GetTSVText(0)
        api.Clear()  # the page's pixels and results; the models stay loaded
    data: dict[str, list] = {column: [] for column in COLUMNS}
    for row in tsv.splitlines():
        fields = row.split("\t", 11)
        if len(fields) < 11:
            continue
        for column, value in zip(_INT_COLUMNS, fields):
            data[column].append(int(value))
        # The command (Tesseract 5.3) prints a word's confidence as a whole number, truncated.
        conf = float(fields[10])
        data["conf"].append(float(int(conf)) if conf >= 0 else -1.0)
        data["text"].append(fields[11] if len(fields) > 11 else "")
    return data


def _api_osd(image: Image.Image) -> tuple[int, float] | None:
    import tesserocr

    # OSD takes no deadline in process (it is a fraction of a reading); the document's limit
    # covers a stuck one.
    with _engine("osd", True) as api:
        api.SetPageSegMode(tesserocr.PSM.OSD_ONLY)
        api.SetVariable("min_characters_to_try", "10")
        _set_image(api, image)
        osd = api.DetectOrientationScript()
        api.Clear()
    if not osd:
        return None  # too few characters: nothing to turn
    # The page is printed turned by orient_deg (counter-clockwise); the command's "Rotate" is
    # the clockwise turn that sets it upright, its confidence printed to two decimals.
    return (360 - int(osd["orient_deg"])) % 360, round(float(osd["orient_conf"]), 2)


# -- the command --------------------------------------------------------------------------------
def _uncompressed(image: Image.Image) -> Image.Image:
    """The image as pytesseract should hand it to Tesseract: an uncompressed TIFF. pytesseract
    writes an image without a format as PNG: compressing a 300-dpi page cost 88 ms, about a
    tenth of its reading, against 12 ms for the same pixels as a plain TIFF, which Tesseract
    reads as fast as PNG and to the same words (PNM, as cheap to write, took Tesseract 0.1 s
    more to read)."""
    if image.mode in ("1", "L", "RGB"):
        image.format = "TIFF"  # pytesseract saves under this format; Pillow's TIFF is uncompressed
    return image


def _cli_data(image: Image.Image, options: OcrOptions, number: int) -> dict[str, list]:
    import pytesseract

    try:
        return pytesseract.image_to_data(_uncompressed(image), lang=options.languages,
                                         config=options.tesseract_config(),
                                         output_type=pytesseract.Output.DICT, timeout=options.timeout)
    except pytesseract.TesseractNotFoundError:
        raise OcrError("Tesseract is not installed or not on PATH") from None
    except pytesseract.TesseractError as exc:
        raise OcrError(f"Tesseract failed on page {number}: {exc.message or exc}") from None
    except RuntimeError as exc:  # pytesseract's timeout
        raise OcrError(f"Tesseract timed out on page {number}: {exc}") from None


def _cli_osd(image: Image.Image, timeout: float) -> tuple[int, float] | None:
    import pytesseract

    try:
        osd = pytesseract.image_to_osd(_uncompressed(image), config="--psm 0 -c min_characters_to_try=10",
                                       output_type=pytesseract.Output.DICT, timeout=timeout)
    except pytesseract.TesseractError as exc:
        log.debug("orientation not detected: %s", exc)  # "Too few characters" on blank or photo pages
        return None
    except RuntimeError as exc:  # pytesseract's timeout
        raise OcrError(f"orientation detection timed out: {exc}") from None
    return int(osd.get("rotate", 0)) % 360, float(osd.get("orientation_conf", 0.0))
