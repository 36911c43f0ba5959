"""The eval's read cache keeps a reading only for the Tesseract that made it: another library
version reads other words from the same pixels (the tesserocr wheel's 5.5.4 against the
system's 5.3.0), so its readings must not stand for this one's (issue 13)."""

from __future__ import annotations

import subprocess

import pytest

from pipeline.config import load_settings
from pipeline.evaluate.cache import ReadCache
from pipeline.text import engine


@pytest.fixture
def versions():
    engine.version.cache_clear()
    yield
    engine.version.cache_clear()


@pytest.fixture
def scan(tmp_path):
    path = tmp_path / "page.png"
    path.write_bytes(b"not really a picture, only its bytes are hashed")
    return path


def _command_version() -> str:
    banner = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, timeout=60).stdout
    return " ".join(line.strip() for line in banner.splitlines()[:2])


def test_the_version_is_the_library_that_reads(versions):
    import tesserocr

    kept = tesserocr.tesseract_version().split()
    assert engine.version("api") == f"{kept[0]} {kept[1]} {kept[2]}"  # "tesseract 5.x.y leptonica-1.y.z"
    assert engine.version("cli") == _command_version()


def test_without_tesserocr_the_version_is_the_commands(versions, monkeypatch):
    monkeypatch.setattr(engine, "_api_available", lambda: False)  # the api setting falls back to the command
    assert engine.version("api") == _command_version()


def test_another_tesseract_reads_under_another_key(versions, monkeypatch, tmp_path, scan):
    settings = load_settings(env={}, cwd=tmp_path)
    cache = ReadCache(tmp_path / "cache")
    monkeypatch.setattr(engine, "version", lambda name: "tesseract 5.3.0 leptonica-1.82.0")
    old = cache.key(scan, settings)
    assert cache.key(scan, settings) == old  # the same library: the reading is reused
    cache.put(old, "image/png", [])
    monkeypatch.setattr(engine, "version", lambda name: "tesseract 5.5.4 leptonica-1.87.0")
    new = cache.key(scan, settings)
    assert new != old and cache.get(new) is None
    monkeypatch.setattr(engine, "version", lambda name: "tesseract 5.3.0 leptonica-1.87.0")
    assert cache.key(scan, settings) not in (old, new)  # Leptonica decodes and thresholds the pixels


def test_the_key_asks_for_the_engine_the_settings_choose(versions, monkeypatch, tmp_path, scan):
    asked = []
    monkeypatch.setattr(engine, "version", lambda name: asked.append(name) or name)
    cache = ReadCache(tmp_path / "cache")
    cache.key(scan, load_settings(env={"ARCHIVIO_OCR_ENGINE": "cli"}, cwd=tmp_path))
    cache.key(scan, load_settings(env={}, cwd=tmp_path))
    assert asked == ["cli", "api"]



def test_a_label_added_to_the_vocabulary_reads_again(versions, monkeypatch, tmp_path, scan):
    # The photo reader's second look picks the lines to read again by the vocabulary's labels: a
    # reading made before a total's label was added is not the reading the code makes now.
    from pipeline.config import config_dir

    monkeypatch.setattr(engine, "version", lambda name: "tesseract 5.3.0 leptonica-1.82.0")
    vocabulary = tmp_path / "fields.toml"
    vocabulary.write_bytes((config_dir() / "fields.toml").read_bytes())
    cache = ReadCache(tmp_path / "cache")
    shipped = cache.key(scan, load_settings(env={}, cwd=tmp_path))
    configured = load_settings(env={"ARCHIVIO_EXTRACT_VOCABULARY": str(vocabulary)}, cwd=tmp_path)
    assert cache.key(scan, configured) == shipped  # the same labels: the reading is reused
    with vocabulary.open("a") as fh:
        fh.write("\n# a label added\n")
    assert cache.key(scan, configured) != shipped


def test_other_language_data_reads_again(versions, monkeypatch, tmp_path, scan):
    # Tesseract's "best" models in place of the packaged fast ones (TESSDATA_PREFIX, or an
    # updated tesseract-ocr-eng) read other words from the same pixels, with the same version.
    monkeypatch.setattr(engine, "version", lambda name: "tesseract 5.3.0 leptonica-1.82.0")
    data = tmp_path / "tessdata"
    data.mkdir()
    for language in ("ita", "eng", "osd"):
        (data / f"{language}.traineddata").write_bytes(f"fast {language}".encode())
    monkeypatch.setenv("TESSDATA_PREFIX", str(data))
    engine.language_data.cache_clear()
    cache = ReadCache(tmp_path / "cache")
    settings = load_settings(env={"ARCHIVIO_OCR_ENGINE": "cli"}, cwd=tmp_path)
    fast = cache.key(scan, settings)
    engine.language_data.cache_clear()
    assert cache.key(scan, settings) == fast  # the same files: the reading is reused
    (data / "eng.traineddata").write_bytes(b"best eng")
    engine.language_data.cache_clear()
    assert cache.key(scan, settings) != fast
    engine.language_data.cache_clear()


def test_two_readers_of_the_same_bytes_keep_their_reading_side_by_side(tmp_path):
    """Two corpus files with the same bytes share a key; read side by side, both put their
    reading at once (one had been reported unreadable: the other's rename took its temporary file)."""
    import threading

    from pipeline.records import Page, Word

    cache = ReadCache(tmp_path / "cache")
    pages = [Page(number=1, width=10, height=10, words=[Word("x" * 2000, 0, 0, 1, 1)] * 200, method="ocr")]
    failures = []
    for round_ in range(20):
        start = threading.Barrier(4)

        def put():
            start.wait()
            try:
                cache.put(f"{round_:02d}" + "ab" * 31, "image/png", pages)
            except OSError as exc:
                failures.append(exc)

        threads = [threading.Thread(target=put) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not failures
    assert cache.get("19" + "ab" * 31)[1][0].words[0].text == "x" * 2000
    assert not list((tmp_path / "cache").rglob("*.tmp"))
