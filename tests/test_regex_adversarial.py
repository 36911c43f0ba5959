"""Every regular expression that reads document text (or any other user text) finishes in
bounded time on long adversarial lines: runs of spaces, of form feeds (blank pages), of
punctuation, 5,000 characters (issue 11, item 12: one pattern took 42 s at 1,000 characters).

The patterns are found, not listed: every compiled pattern held by a module of ``pipeline``,
and every pattern the extractors compile at run time from the vocabularies, recorded while they
read a generated document of each class. A pattern added tomorrow is tested tomorrow.

Each pattern runs in a child process, so a catastrophic one fails the test (naming the pattern)
instead of hanging the suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LENGTH = 5000
# Per pattern and line. A linear pattern needs milliseconds, a quadratic one on a 5,000-character
# run about a second on this shared, loaded machine; the backtracking this test is about needs
# minutes to hours (42 s at 1,000 characters, cubic or worse), so the bound is generous.
PER_LINE_SECONDS = 5.0

COLLECT = textwrap.dedent(r'''
    import importlib, json, pkgutil, re, sys, datetime as dt
    import pipeline
    from pipeline.records import Page, Word

    found = {}

    def keep(p):
        if isinstance(p, re.Pattern) and isinstance(p.pattern, str):
            found[(p.pattern, p.flags)] = None

    def walk(value, depth=0):
        if isinstance(value, re.Pattern):
            keep(value)
        elif depth < 3 and isinstance(value, dict):
            for v in list(value.values()):
                walk(v, depth + 1)
        elif depth < 3 and isinstance(value, (list, tuple, set, frozenset)):
            for v in list(value):
                walk(v, depth + 1)

    skip = ("pipeline.__main__", "pipeline.api", "pipeline.cli", "pipeline.store.s3", "pipeline.index.elastic", "pipeline.workers")
    for info in pkgutil.walk_packages(pipeline.__path__, "pipeline."):
        if info.name.startswith(skip):
            continue  # no document text there (and heavy imports)
        try:
            module = importlib.import_module(info.name)
        except Exception:
            continue
        for value in list(vars(module).values()):
            walk(value)

    # Patterns built at run time from the vocabularies: record every compile while extracting.
    real_compile = re._compile

    def recording(pattern, flags):
        compiled = real_compile(pattern, flags)
        keep(compiled)
        return compiled

    re._compile = recording
    try:
        from pipeline.config import load_settings
        from pipeline.extract import extract_fields
        from pipeline.extract.parties import contract_parties
        from pipeline.classify import classify_text

        settings = load_settings()
        sample = [
            "FATTURA n. 123/2024 del 15/03/2024", "Cartoleria Rossi S.r.l. P.IVA 01234567890",
            "Spett.le Comune di Bergamo", "Imponibile 1.000,00 IVA 22% 220,00 Totale 1.220,00 EUR",
            "IBAN IT60X0542811101000000123456", "SERVICES AGREEMENT", "This Agreement is made between "
            "ACME INC., a Delaware corporation (the \"Company\"), and John Doe, an individual", "TOTAL 12.50",
            "Cashier 3 Receipt 0042 VISA 12.50", "By: /s/ Jane Doe Title: CEO", "ACME INC. By:",
        ]
        words = []
        for n, line in enumerate(sample):
            x = 10.0
            for w in line.split():
                words.append(Word(w, x, 20.0 * n, x + 6 * len(w), 20.0 * n + 10, line=n))
                x += 6 * len(w) + 4
        pages = [Page(1, 600, 800, words), Page(2, 600, 800, [])]
        text = "\n".join(sample)
        for doc_class in ("invoice", "receipt", "contract", "other"):
            for lang in ("it", "en"):
                extract_fields(doc_class, pages, language=lang, vocabulary=settings.extract_vocabulary,
                               today=dt.date(2024, 6, 1))
        classify_text(text, settings)
    finally:
        re._compile = real_compile
    print(json.dumps([[p, f] for p, f in found]))
''')

RUN = textwrap.dedent(r'''
    import json, re, sys, time
    given = json.loads(sys.stdin.read())
    patterns, lines = given["patterns"], given["lines"]
    for pattern, flags in patterns:
        print(json.dumps([pattern, flags]), flush=True)  # the one running, if we are killed
        compiled = re.compile(pattern, flags)
        worst = 0.0
        for line in lines:
            started = time.perf_counter()
            for _ in compiled.finditer(line):  # every start position, as search, sub and split try them
                pass
            worst = max(worst, time.perf_counter() - started)
        print(json.dumps({"worst": worst}), flush=True)
''')


def adversarial_lines() -> list[str]:
    runs = [" ", "\f", "\t", "\n", " \f", ".", ",", "-", "_", "/", "(", "'", "\"", "a ", "A. ", "1.", "1,0",
            ", ", "; ", ": ", "A", "0", "x-", "s/ "]
    out = [(run * LENGTH)[:LENGTH] for run in runs]
    # Runs after and before words that start the patterns (a description, a total, a date).
    for word in ("ACME INC", "Fattura", "Totale", "between", "By", "IBAN IT", "P.IVA"):
        out.append((word + " " * LENGTH)[:LENGTH] + "!")
        out.append((" " * LENGTH)[: LENGTH - len(word) - 1] + word + "!")
        out.append((word + " " + "\f" * LENGTH)[:LENGTH] + "x")
    return out


@pytest.fixture(scope="module")
def patterns() -> list[list]:
    result = subprocess.run([sys.executable, "-c", COLLECT], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(found) > 50  # the walk did find the extractors' patterns
    return found


@pytest.mark.slow
def test_every_pattern_reading_user_text_is_fast_on_long_adversarial_lines(patterns):
    budget = 600
    try:
        given = json.dumps({"patterns": patterns, "lines": adversarial_lines()})
        result = subprocess.run([sys.executable, "-c", RUN], input=given, capture_output=True,
                                text=True, timeout=budget, cwd=ROOT)
        output = result.stdout
    except subprocess.TimeoutExpired as exc:
        output = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        running = output.strip().splitlines()[-1] if output.strip() else "?"
        pytest.fail(f"a pattern did not finish within {budget:.0f} s: {running}")
    assert result.returncode == 0, result.stderr[-3000:]
    slow = []
    rows = output.strip().splitlines()
    for header, timing in zip(rows[0::2], rows[1::2]):
        took = json.loads(timing)["worst"]
        if took > PER_LINE_SECONDS:
            slow.append(f"{took:.1f}s  {json.loads(header)[0][:160]}")
    assert not slow, "patterns too slow on adversarial lines:\n" + "\n".join(slow)
