"""Born-digital PDFs at a fraction of pdfplumber's cost, with the same results: what each speed-up
must not change (stems, classifier scores, label matches), what each process must not import,
and the journal commits an ingested document no longer pays."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import re
import signal
import subprocess
import sys
import textwrap
import time
import tomllib
from pathlib import Path

import pytest

from docgen import contract, english_invoice, german_invoice, italian_invoice
from pipeline import forking


def _texts(tmp_path: Path) -> list[str]:
    from pipeline.text import read_document
    from support import make_settings

    settings = make_settings(tmp_path)
    docs = [make(tmp_path / f"{make.__name__}-{seed}.pdf", seed=seed)
            for make in (italian_invoice, english_invoice, german_invoice, contract) for seed in (3, 4)]
    return [read_document(d.path, settings.ocr, max_pages=50) for d in docs]


# -- stems: the C stemmers, the same stems -------------------------------------------------------
def test_the_index_stems_with_the_c_snowball_and_gets_the_python_ones(tmp_path):
    from snowballstemmer.english_stemmer import EnglishStemmer
    from snowballstemmer.italian_stemmer import ItalianStemmer

    from pipeline.index import sqlite
    from pipeline.textnorm import words

    assert all(type(s).__module__ == "Stemmer" for s in sqlite._STEMMERS.values()), "PyStemmer is not used"
    vocabulary = sorted({w for read in _texts(tmp_path) for p in read.pages for w in words(p.text) if not w.isdigit()})
    vocabulary += ["fatturazione", "pagamenti", "contrattuali", "agreements", "terminated", "città", "perché"]
    assert len(vocabulary) > 150
    pythons = (ItalianStemmer(), EnglishStemmer())
    for language, python in zip(("italian", "english"), pythons):
        c = sqlite._STEMMERS[language]
        assert [c.stemWord(w) for w in vocabulary] == [python.stemWord(w) for w in vocabulary], language
    # A document's stems, taken in one call per language: each word's stems in both languages.
    tokens = vocabulary + vocabulary[:40] + ["2024", "12"]
    assert sqlite.stems(tokens) == {p.stemWord(w) for w in vocabulary for p in pythons}


# -- the classifier's substring test changes no score --------------------------------------------
def test_classifier_scores_are_the_patterns_own(tmp_path, settings):
    from pipeline.classify import RuleClassifier

    rules = RuleClassifier.from_file(settings.classify_vocabulary)
    rng = random.Random(5)
    terms = [t for ts in rules.terms.values() for t in ts]
    texts = ["\f".join(p.text for p in read.pages) for read in _texts(tmp_path)]
    # Terms glued to other words, repeated back to back, split over lines, with accents and capitals.
    for _ in range(20):
        picked = rng.sample(terms, 12)
        words = [t.literal.strip() for t in picked]
        texts.append(" ".join(rng.choice([w, w.upper(), w + "s", "x" + w, w + "\n" + w, f"{w} {w} {w}"])
                              for w in words).replace("a", rng.choice(["a", "à"])))
        texts.append(" ".join(words[:3] * 3))  # a term first and last, and back to back with itself

    # The same rules with the substring test disabled (an empty literal is in every text), each
    # term counted by its words between white space looked behind and ahead of.
    def looked_around(term):
        words = term.literal.split()
        return re.compile(r"(?<=\s)" + r"\s+".join(map(re.escape, words)) + r"(?=\s)") if words else term.pattern

    unfiltered = dataclasses.replace(rules, terms={c: [dataclasses.replace(t, literal="", pattern=looked_around(t))
                                                       for t in ts] for c, ts in rules.terms.items()})
    reference = unfiltered.scores

    assert any(v for text in texts for c, v in reference(text).items() if c != "other")
    for text in texts:
        assert rules.scores(text) == reference(text)


# -- a label is looked for only on lines that contain it; OCR lines are all looked at -------------
def test_label_matches_are_those_of_every_line(tmp_path):
    from pipeline.extract import layout as lay

    labels = ["Totale documento", "Partita IVA", "P.IVA", "Invoice number", "Data", "IBAN", "Fattura n.",
              "Rechnungsnummer", "Agreement", "between", "Imponibile", "Total"]
    for read in _texts(tmp_path):
        layout = lay.Layout(read.pages)
        for label in labels:
            key = lay.compact(label)
            every = [hit for page in layout.pages
                     for index, line in enumerate(layout.lines[page.number])
                     for hit in lay._match_line(label, key, page, index, line, layout._compact[page.number][index])]
            assert [(h.page.number, h.line_index, h.start, h.end, h.rest, h.fuzzy) for h in layout.find([label])] == \
                   [(h.page.number, h.line_index, h.start, h.end, h.rest, h.fuzzy) for h in every]


def test_fold_of_ascii_is_the_unicode_path():
    import unicodedata

    from pipeline.textnorm import fold

    for code in range(128):
        char = chr(code)
        slow = "".join(c for c in unicodedata.normalize("NFKD", char.casefold()) if not unicodedata.combining(c))
        assert fold(char) == slow
    assert fold("Città Größe ÉTÉ") == "citta grosse ete"
    rng = random.Random(7)
    alphabet = "aeEzZ €ÀàéÉıİßẞøØσςΣﬁǅ\u0301\u0327\u0308\u1e9e\u212b\uff21Ꭰꭰ\u0345\u03b9\ufb00\n"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        slow = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
        assert fold(text) == slow, repr(text)


# -- what each process imports ----------------------------------------------------------------
HEAVY_FOR_FILING = ("pipeline.extract", "pipeline.classify", "pypdfium2", "pytesseract", "pikepdf", "img2pdf",
                    "pdfplumber", "pdfminer", "prometheus_client")


def test_the_filing_process_imports_no_reading_code():
    probe = ("import sys, pipeline.service, pipeline.cli.jobs, pipeline.dispatch, pipeline.intake; "
             f"print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY_FOR_FILING!r} "
             f"or m in {HEAVY_FOR_FILING!r})))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def test_the_fork_server_leaves_the_receipt_rules_to_the_first_receipt(tmp_path):
    """The workers' preload does not compile the receipt rules (their modules' regular expressions
    were 0.01 s of every batch's start); an invoice is read without them, a receipt with them."""
    from docgen import italian_receipt

    invoice = italian_invoice(tmp_path / "fattura.pdf", seed=9)
    receipt = italian_receipt(tmp_path / "scontrino.pdf", seed=9)
    probe = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        import pipeline.preload
        from support import make_settings
        from pipeline.process import analyse
        from pathlib import Path
        rules = lambda: sorted(m for m in sys.modules if m.startswith("pipeline.extract.receipt"))
        print(rules())
        settings = make_settings(Path({str(tmp_path)!r}))
        result = analyse(Path({str(invoice.path)!r}), settings)
        print(result.classification.doc_class, rules())
        result = analyse(Path({str(receipt.path)!r}), settings)
        print(result.classification.doc_class, "total_amount" in result.fields, len(rules()) > 5)
    """)
    for name in ("inbox", "processed", "quarantine", "duplicates", "data"):
        (tmp_path / name).mkdir(exist_ok=True)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:3] == ["[]", "invoice []", "receipt True True"]


def test_reading_a_born_digital_pdf_imports_no_archive_copy_library(tmp_path):
    doc = italian_invoice(tmp_path / "fattura.pdf", seed=9)
    probe = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from support import make_settings
        from pipeline.process import analyse
        from pathlib import Path
        result = analyse(Path({str(doc.path)!r}), make_settings(Path({str(tmp_path)!r})))
        assert result.classification.doc_class == "invoice" and result.derived.copy is None
        print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in ('pikepdf', 'img2pdf', 'pdfplumber'))))
    """)
    for name in ("inbox", "processed", "quarantine", "duplicates", "data"):
        (tmp_path / name).mkdir(exist_ok=True)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def test_the_command_leaves_its_heap_to_exit_and_a_caller_keeps_its_own():
    """Run as the process's entry point, the command puts its objects out of the collector's reach
    before exiting (shutdown then does not walk the heap); called with arguments it does not."""
    import gc

    from pipeline.cli import main

    probe = ("import atexit, gc, sys; atexit.register(lambda: print('frozen', gc.get_freeze_count() > 1000)); "
             "from pipeline.cli import main; sys.argv = ['archivio', '--version']; sys.exit(main())")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[-2:] == ["frozen", "True"]
    before = gc.get_freeze_count()
    assert main(["--version"]) == 0
    assert gc.get_freeze_count() == before


# -- journal: commits an ingested document no longer pays ----------------------------------------
def test_a_kept_file_is_handed_off_when_enqueued(settings, tmp_path, monkeypatch):
    from pipeline.intake import Intake
    from pipeline.journal import Journal
    from pipeline.quarantine import Quarantine
    from pipeline.store import open_archive

    journal = Journal(settings.journal_path)
    intake = Intake(settings, open_archive(settings), journal, Quarantine(settings.paths.quarantine))
    calls = []
    real = journal.handed_off
    monkeypatch.setattr(journal, "handed_off", lambda job_id, moved: calls.append(job_id) or real(job_id, moved))
    kept = italian_invoice(tmp_path / "kept.pdf", seed=1).path
    result = intake.take(kept, handoff="keep")
    assert result.outcome == "queued" and result.job.handed_off and calls == []
    assert list(journal.unfinished_handoffs()) == [] and kept.exists()
    moved = settings.paths.inbox / "moved.pdf"
    moved.write_bytes(italian_invoice(tmp_path / "m.pdf", seed=2).path.read_bytes())
    result = intake.take(moved, root=settings.paths.inbox, handoff="move")
    assert result.outcome == "queued" and calls == [result.job.id]  # moved: committed once it has left


# -- workers forked from a server: still gone with the watcher -----------------------------------
def test_workers_die_with_the_process_that_started_them(tmp_path):
    for name in ("inbox", "processed", "quarantine", "duplicates", "data"):
        (tmp_path / name).mkdir()
    probe = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from pathlib import Path
        from support import make_settings
        from pipeline.workers import WorkerPool
        pool = WorkerPool(make_settings(Path({str(tmp_path)!r})), size=2)
        assert pool._ctx.get_start_method() in ("forkserver", "spawn")
        print(pool._ctx.get_start_method(), *[w.process.pid for w in pool._workers], flush=True)
        time.sleep(120)
    """)
    parent = subprocess.Popen([sys.executable, "-c", probe], stdout=subprocess.PIPE, text=True)
    try:
        method, *pids = parent.stdout.readline().split()
        assert len(pids) == 2, method
        pids = [int(p) for p in pids]
        assert all(_alive(p) for p in pids)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait(30)
    deadline = time.monotonic() + 20
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in pids), f"workers ({method}) outlived their watcher"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return re.sub(r"^.*\) ", "", fh.read()).split()[0] != "Z"
    except OSError:
        return False


# -- the fork server starts with the command, not with the first pool ---------------------------
@pytest.mark.parametrize("backend, servers", [("local", 1), ("celery", 0)])
def test_the_fork_server_starts_before_the_rest_of_start_up(tmp_path, backend, servers):
    """``archivio ingest`` and ``watch`` start it once their settings are known, so that it imports
    the reading code on the other core while the command finishes its own imports; not when a
    broker's workers read the documents."""
    probe = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from pathlib import Path
        from support import make_settings
        from pipeline.workers import start_server
        from multiprocessing import forkserver
        start_server(make_settings(Path({str(tmp_path)!r}), **{{"queue.backend": {backend!r}}}))
        print(int(forkserver._forkserver._forkserver_pid is not None), "pipeline.service" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [str(servers), "False"]


def test_documents_are_counted_for_prometheus_where_metrics_are_served(tmp_path):
    """The dispatcher counts finished documents only when this process serves /metrics
    (``queue.metrics_port``): ``archivio ingest`` never does, and needs no prometheus_client."""
    probe = textwrap.dedent(f"""
        import sys
        from types import SimpleNamespace
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from pathlib import Path
        from support import make_settings
        from pipeline.dispatch import Dispatcher
        done = SimpleNamespace(outcome="filed", record=SimpleNamespace(doc_class="invoice"))
        seen = []
        for port in (0, 9464):
            settings = make_settings(Path({str(tmp_path)!r}), **{{"queue.metrics_port": port}})
            Dispatcher._report(SimpleNamespace(settings=settings, on_done=seen.append), done)
            counted = None
            if "prometheus_client" in sys.modules:
                from prometheus_client import REGISTRY
                counted = REGISTRY.get_sample_value("archivio_documents_total", {{"outcome": "filed", "doc_class": "invoice"}})
            print(port, counted)
        print(len(seen))
    """)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:3] == ["0 None", "9464 1.0", "2"]


_EARLY = textwrap.dedent("""
    import json, sys
    from pipeline.prestart import start_workers_early
    # Before the command's own imports: neither the settings nor click and the command modules.
    assert not {"pipeline.config", "pydantic", "click", "pipeline.cli", "logging"} & set(sys.modules), sys.modules
    from multiprocessing import forkserver
    start_workers_early(json.loads(sys.argv[1]))
    print(int(forkserver._forkserver._forkserver_pid is not None))
""")


@pytest.mark.parametrize("args, env, started", [
    (["ingest", "a.pdf"], {}, 1),
    (["-vv", "-c", "{local}", "watch", "-j", "2"], {}, 1),
    (["--config={local}", "-q", "ingest", "a.pdf"], {}, 1),
    (["-c", "{celery}", "ingest", "a.pdf"], {}, 0),
    (["ingest", "a.pdf"], {"ARCHIVIO_CONFIG": "{celery}"}, 0),
    (["ingest", "a.pdf"], {"ARCHIVIO_QUEUE_BACKEND": "celery"}, 0),
    (["-c", "{local}", "ingest"], {"ARCHIVIO_QUEUE_BACKEND": "celery"}, 0),
    (["-c", "{missing}", "ingest", "a.pdf"], {}, 0),
    (["search", "fattura"], {}, 0),
    (["ingest", "--help"], {}, 0),
    (["--unknown", "ingest"], {}, 0),
])
def test_ingest_and_watch_start_the_fork_server_before_loading_the_settings(tmp_path, args, env, started):
    """From the command line alone, before pydantic and the settings are imported; a broker's
    workers (``queue.backend = "celery"``, in the environment or the user's file) need none."""
    (tmp_path / "local.toml").write_text('[queue]\nbackend = "local"\n')
    (tmp_path / "celery.toml").write_text('[queue]\nbackend = "celery"\n')
    paths = {"local": tmp_path / "local.toml", "celery": tmp_path / "celery.toml", "missing": tmp_path / "no.toml"}
    args = [a.format(**paths) for a in args]
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("ARCHIVIO_")},
           **{k: v.format(**paths) for k, v in env.items()}}
    out = subprocess.run([sys.executable, "-c", _EARLY, json.dumps(args)], env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(started)


@pytest.mark.parametrize("entry", ["console script", "python -m pipeline"])
def test_the_command_starts_the_fork_server_before_importing_click(tmp_path, entry):
    """Both ways of running ``archivio`` go through ``prestart``: the server is up before click
    and the command modules are imported (about 0.03 s of CPU earlier), and the command line then
    finds it running rather than starting a second one. What the command and the workers both
    need (the settings' classes, pydantic) is imported before it, once for both processes."""
    scripts = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["archivio"] == "pipeline.prestart:main"
    probe = textwrap.dedent(f"""
        import runpy, sys
        from multiprocessing import forkserver
        from pipeline import forking
        seen = []
        real = forking.start_server

        def start_server(**how):
            if not seen:
                early = {{"click", "tqdm", "pipeline.cli", "pipeline.config", "pydantic"}}
                seen.append(sorted(early & set(sys.modules)))
            real(**how)
            seen.append(forkserver._forkserver._forkserver_pid)

        forking.start_server = start_server
        sys.argv = ["archivio", "-q", "ingest", {str(tmp_path / "none.pdf")!r}]
        try:
            if {entry!r} == "console script":
                from pipeline.prestart import main
                main()
            else:
                runpy.run_module("pipeline", run_name="__main__")
        except SystemExit:
            pass
        print(seen[0], len(set(seen[1:])), seen[1] is not None)
    """)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("ARCHIVIO_")},
           **{f"ARCHIVIO_PATHS_{n.upper()}": str(tmp_path / n) for n in ("inbox", "processed", "quarantine",
                                                                        "duplicates", "data")}}
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[0] == "['pipeline.config', 'pydantic'] 1 True"


def test_the_shipped_queue_is_local():
    """What the early start assumes when neither the environment nor the user's file names a backend."""
    from pipeline.config import config_dir, load_settings

    shipped = tomllib.loads((config_dir() / "archivio.toml").read_text()).get("queue", {})
    assert shipped.get("backend", "local") == "local"
    assert load_settings(env={}).queue.backend == "local"


# -- files are taken in while the workers start ----------------------------------------------------
def test_ingest_takes_the_files_in_while_the_workers_start(settings, tmp_path, monkeypatch):
    """The pool's workers start on a thread: every file is queued before the first worker is up."""
    from pipeline import service, workers
    from pipeline.journal import Journal

    files = [italian_invoice(tmp_path / f"f{i}.pdf", seed=40 + i).path for i in range(3)]
    queued_first = []
    real = workers.WorkerPool._start

    def start_once_queued(pool):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            journal = Journal(settings.journal_path)
            try:
                if journal.counts()["queued"] == len(files):
                    queued_first.append(True)
                    break
            finally:
                journal.close()
            time.sleep(0.05)
        real(pool)

    monkeypatch.setattr(workers.WorkerPool, "_start", start_once_queued)
    done = []
    service.run_ingest(settings, files, stop=service.StopFlag(), handoff="keep", on_intake=lambda r: None,
                       on_done=done.append, workers=2)
    assert queued_first == [True]
    assert sorted(d.outcome for d in done) == ["filed"] * 3


def test_a_pool_that_cannot_start_says_so_to_its_caller(settings, monkeypatch):
    from pipeline import workers

    def refuse(*args, **kwargs):
        raise OSError("no more processes")

    monkeypatch.setattr(workers, "_Worker", refuse)
    pool = workers.WorkerPool(settings, size=2, background=True)
    assert pool._ready.wait(30)
    for _ in range(2):  # every later call, not only the first
        with pytest.raises(OSError, match="no more processes"):
            pool.collect(timeout=0)
    pool.close()
    with pytest.raises(OSError, match="no more processes"):
        workers.WorkerPool(settings, size=2)


# -- words: made once per word --------------------------------------------------------------------
def test_a_text_layer_word_is_made_once_with_its_line(tmp_path, monkeypatch):
    """The reader groups characters into plain tuples and makes each Word once, with its line
    number; before, every word was made twice (a Word per group, then a copy with the line)."""
    from pipeline.records import Word
    from pipeline.text import pdf, pdfwords
    from pipeline.text.ocr import OcrOptions

    made = []

    def counted(*args, **kwargs):
        made.append(args[0])
        return Word(*args, **kwargs)

    monkeypatch.setattr(pdf, "Word", counted)
    monkeypatch.setattr(pdfwords, "Word", counted)
    path = italian_invoice(tmp_path / "invoice.pdf", seed=5).path
    pages = list(pdf.read_pdf(path, OcrOptions(), dpi=150, min_text_chars=20, max_pages=10))
    words = [w for page in pages for w in page.words]
    assert pages and all(page.method == "text" for page in pages) and len(words) > 30
    assert len(made) == len(words)
    # The lines are those assign_lines gives the same words.
    assert [(w.text, w.line) for w in words] == [(w.text, w.line) for w in pdf.assign_lines(
        [Word(w.text, w.x0, w.y0, w.x1, w.y1, w.conf) for w in words])]


def test_compact_is_remembered_and_gives_what_it_computes():
    """Extraction compacts the same words and labels over and over: ``compact`` keeps its answers
    (a pure function of its string) and gives what computing them again gives."""
    from pipeline.textnorm import compact

    texts = ["P. IVA", "Partita I.V.A.:", "Città", "GRÖSSE", "İstanbul", "ſtraße", "N° 12/A", "", "  ", "€ 1.234,56",
             "Kelvin K", "naïve-café", "ＦＵＬＬ", "x\u0301y"]
    before = compact.cache_info().hits
    first = [compact(t) for t in texts]
    assert first == [compact.__wrapped__(t) for t in texts] == [compact(t) for t in texts]
    assert compact.cache_info().hits >= before + len(texts)
    assert first[0] == "piva" and first[2] == "citta"


# -- start-up: the fork server's preload is the critical path of a small batch -------------------
_PRELOAD_COLLECTIONS = """
import gc, json, sys
runs, during = [], []


def seen(phase, info):
    if phase == "start":
        runs.append(info["generation"])
        # From the preload's first statements on (the module is in sys.modules while it runs).
        if "pipeline.preload" in sys.modules and "contextlib" in vars(sys.modules["pipeline.preload"]):
            during.append(info["generation"])


gc.callbacks.append(seen)
import pipeline.preload
collected_during = len(during)
garbage = [[] for _ in range(5000)]
for item in garbage:
    item.append(item)  # cycles made after the preload, as a worker's reading makes them
del garbage, item
gc.collect(0)
print(json.dumps({"during": collected_during, "enabled": gc.isenabled(), "after": len(runs) - collected_during,
                  "frozen": gc.get_freeze_count()}))
"""


def test_the_preload_imports_without_collecting_and_leaves_the_collector_on():
    """No worker can start before the fork server has imported the reading code: the collector,
    which would run through those imports about a hundred times for no garbage, waits until they
    are done; the workers forked after them collect as usual."""
    out = subprocess.run([sys.executable, "-c", _PRELOAD_COLLECTIONS], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["during"] == 0
    assert seen["enabled"] and seen["after"] >= 1
    assert seen["frozen"] > 10_000  # the imported code is out of the collector's reach


def test_a_failed_preload_leaves_the_collector_on():
    """The fork server goes on when the preload raises ImportError: its workers must still collect."""
    probe = ("import builtins, gc, sys\n"
             "real = builtins.__import__\n"
             "def refuse(name, *a, **k):\n"
             "    if name == 'pdfminer.pdfdocument' or (a and a[2] and 'extract' in a[2]):\n"
             "        raise ImportError('refused by the test')\n"
             "    return real(name, *a, **k)\n"
             "builtins.__import__ = refuse\n"
             "try:\n"
             "    import pipeline.preload\n"
             "except ImportError:\n"
             "    pass\n"
             "print(gc.isenabled())\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "True"


# -- the command's fork server is the command forked, not a new interpreter ---------------------
_FORKED = """
import json, os, sys, threading, time
from multiprocessing import forkserver
from pipeline import forking, prestart
if sys.argv[1] == "thread":
    threading.Thread(target=time.sleep, args=(30,), daemon=True).start()
if sys.argv[1] == "fork fails":
    def no_fork():
        raise BlockingIOError(11, "Resource temporarily unavailable")
    os.fork = no_fork
prestart.start_workers_early(["ingest", "a.pdf"], by_fork=sys.argv[1] != "in-process")
from multiprocessing import resource_tracker
server = forkserver._forkserver._forkserver_pid
tracker = resource_tracker._resource_tracker._pid
with open("/proc/self/cmdline", "rb") as own:
    command = own.read()
with open(f"/proc/{server}/cmdline", "rb") as fh:
    new_interpreter = fh.read() != command  # a new interpreter runs multiprocessing's own command
with open(f"/proc/{tracker}/cmdline", "rb") as fh:
    new_tracker = fh.read() != command
ctx = forking.context()
worker = ctx.Process(target=time.sleep, args=(1,))
worker.start()
with open(f"/proc/{worker.pid}/stat") as fh:
    parent = int(fh.read().rsplit(")", 1)[1].split()[1])
worker.join(30)
print(json.dumps({"server": server, "new_interpreter": new_interpreter, "tracker": tracker, "new_tracker": new_tracker,
                  "worker_of_server": parent == server, "worker_exit": worker.exitcode}))
"""


@pytest.mark.parametrize("how, forked", [("entry point", True), ("thread", False), ("in-process", False),
                                         ("fork fails", False)])
def test_the_command_forks_its_fork_server(how, forked):
    """Started by the ``archivio`` entry point, before it has imported anything of its own, the
    fork server is the command forked: it begins importing the reading code at once instead of
    after a new interpreter's start-up and multiprocessing's imports (0.03-0.05 s, before any
    worker can start). It serves workers as the started one does, and ends with the command. Not
    with a thread running (a fork copies only the calling thread) nor from a caller that is not
    the entry point (tests, an embedding program), nor when the fork fails: those start a new
    interpreter as before."""
    if forking.context().get_start_method() != "forkserver":
        pytest.skip("no fork server on this platform")
    out = subprocess.run([sys.executable, "-c", _FORKED, how], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["new_interpreter"] is not forked
    assert seen["new_tracker"] is not forked  # the resource tracker likewise (0.03-0.05 s of CPU)
    assert seen["worker_of_server"] and seen["worker_exit"] == 0
    deadline = time.monotonic() + 20  # the server goes once its only client, the command, is gone
    while (_alive(seen["server"]) or _alive(seen["tracker"])) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(seen["server"]) and not _alive(seen["tracker"])


_LEAKS = """
import sys
from multiprocessing import shared_memory
from pipeline import forking, prestart
prestart.start_workers_early(["ingest", "a.pdf"], by_fork=True)
ctx = forking.context()
worker = ctx.Process(target=print, args=("worker ran",))
worker.start()
worker.join(30)
block = shared_memory.SharedMemory(create=True, size=64)  # registered with the tracker, never unlinked
print(block.name, flush=True)
block.close()
"""


def test_a_process_the_command_forks_collects_without_walking_what_it_inherited():
    """The command imports with the collector off before it forks the fork server and the
    resource tracker; each turns it on as a new interpreter has it, with the inherited objects out
    of its reach, so that its first collection does not walk the command's imports."""
    probe = ("import gc; gc.disable(); kept = [(i, [i]) for i in range(200_000)]; "
             "from pipeline import forking; forking._collector_on(); "
             "print(gc.isenabled(), gc.get_count()[0] < 10_000, gc.get_freeze_count() >= 400_000)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "True", "True"]


def test_the_forked_resource_tracker_cleans_up_what_the_command_leaked():
    """The tracker forked with the fork server does the started one's job: what the command
    registered and left behind (here a shared memory block) is removed once the command is gone."""
    if forking.context().get_start_method() != "forkserver":
        pytest.skip("no fork server on this platform")
    out = subprocess.run([sys.executable, "-c", _LEAKS], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    name = out.stdout.strip().splitlines()[-1].lstrip("/")
    deadline = time.monotonic() + 20
    while Path("/dev/shm", name).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not Path("/dev/shm", name).exists()
    assert "leaked shared_memory" in out.stderr  # the tracker's own warning, on the command's stderr


def test_an_ingest_through_the_forked_server_files_every_document(tmp_path):
    """The real command, run as ``python -m pipeline``: documents read by workers of the forked
    server are filed, and no process of the batch outlives it."""
    docs = [italian_invoice(tmp_path / "invoice.pdf", seed=11).path, contract(tmp_path / "contract.pdf", seed=3).path]
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("ARCHIVIO_")},
           **{f"ARCHIVIO_PATHS_{n.upper()}": str(tmp_path / n) for n in ("inbox", "processed", "quarantine",
                                                                        "duplicates", "data")}}
    command = subprocess.Popen([sys.executable, "-m", "pipeline", "-q", "ingest", "-j", "2", *map(str, docs)],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=Path(__file__).parents[1])
    out, err = command.communicate(timeout=180)
    assert command.returncode == 0, err
    assert "2 filed" in out
    # The forked server and its workers carry the command's own command line (these files' paths).
    deadline = time.monotonic() + 20
    while _running_with(str(tmp_path)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running_with(str(tmp_path))


def _running_with(text: str) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/cmdline", "rb") as fh:
                    if text.encode() in fh.read() and _alive(int(name)):
                        found.append(int(name))
            except OSError:
                continue
    return found


_PAUSED = """
import gc, json, sys
from multiprocessing import forkserver
from pipeline import forking, prestart
runs, at_settings = [], {}
gc.callbacks.append(lambda phase, info: runs.append(1) if phase == "start" else None)


def watch(frame, event, arg):
    if event == "call" and frame.f_code.co_name == "load_settings" and not at_settings:
        at_settings.update(collections=len(runs), collecting=gc.isenabled())
    elif event == "call" and frame.f_code.co_name == "setup_logging" and "frozen" not in at_settings:
        at_settings.update(frozen=gc.get_freeze_count(), collecting_after=gc.isenabled())


sys.setprofile(watch)
sys.argv = ["archivio", "-q", "ingest", sys.argv[1]]
try:
    prestart.main()
except SystemExit:
    pass
sys.setprofile(None)
worker = forking.context().Process(target=exec, args=("import gc, os; os._exit(0 if gc.isenabled() else 3)",))
worker.start()
worker.join(30)
print(json.dumps({**at_settings, "after": gc.isenabled(), "worker_exit": worker.exitcode}))
"""


def test_the_entry_point_imports_without_collecting_until_the_settings_are_loaded(tmp_path):
    """The command's own imports (pydantic, the settings classes, click) race the fork server's to
    the first document: the collector waits until the settings are loaded (every working command
    loads them first), then runs as usual over what is made after them, and the fork server forked
    before it paused collects."""
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("ARCHIVIO_")},
           **{f"ARCHIVIO_PATHS_{n.upper()}": str(tmp_path / n) for n in ("inbox", "processed", "quarantine",
                                                                        "duplicates", "data")}}
    (tmp_path / "note.txt").write_text("not a document")  # refused at intake: no reading needed
    out = subprocess.run([sys.executable, "-c", _PAUSED, str(tmp_path / "note.txt")], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["collections"] == 0 and seen["collecting"] is False
    # Once they are loaded it collects again, and not through what the imports made (long-lived).
    assert seen["collecting_after"] is True and seen["frozen"] > 10_000
    assert seen["after"] is True
    assert seen["worker_exit"] == 0
