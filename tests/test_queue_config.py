"""The queue setting: the embedded default imports no Celery or Redis; distributed mode's rules."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from support import make_settings

from pipeline.errors import ConfigError
from pipeline.queue import require_shared_services, resend_after, visibility_timeout


def test_embedded_default_files_a_document_without_importing_celery_or_redis(office):
    # A fresh interpreter: this test process may have imported Celery for other tests.
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, "tests")
        import docgen
        from pathlib import Path
        from support import make_settings
        from pipeline.cli import main
        from pipeline.service import StopFlag, run_ingest
        office = Path({str(office)!r})
        settings = make_settings(office, **{{"workers.count": 1}})
        doc = docgen.english_receipt(office / "r.pdf", seed=3)
        done = []
        run_ingest(settings, [doc.path], stop=StopFlag(), handoff="keep", on_intake=lambda r: None,
                   on_done=lambda d: done.append(d.outcome))
        assert done == ["filed"], done
        main(["--help"])
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("celery", "kombu", "redis"))
        print("LOADED", loaded)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "LOADED []" in out.stdout, out.stdout


def test_visibility_timeout_always_outlasts_a_document(tmp_path):
    settings = make_settings(tmp_path, **{"workers.document_timeout": 900.0})
    assert visibility_timeout(settings) == 900 * 2 + 60
    too_short = make_settings(tmp_path, **{"workers.document_timeout": 900.0, "queue.visibility_timeout": 60.0})
    assert visibility_timeout(too_short) > 900
    assert resend_after(settings) > visibility_timeout(settings)


@pytest.mark.parametrize("overrides, named", [
    ({"queue.backend": "celery"}, ["store.backend", "index.backend"]),
    ({"queue.backend": "celery", "store.backend": "s3", "store.bucket": "b"}, ["index.backend"]),
    ({"queue.backend": "celery", "index.backend": "elasticsearch"}, ["store.backend"]),
])
def test_distributed_roles_refuse_what_other_machines_cannot_reach(tmp_path, overrides, named):
    with pytest.raises(ConfigError) as caught:
        require_shared_services(make_settings(tmp_path, **overrides), "worker")
    message = str(caught.value)
    assert "\n" not in message
    for setting in named:
        assert setting in message
    assert ("store.backend" in message) == ("store.backend" in named)


def test_broker_password_is_masked_when_settings_are_shown(tmp_path):
    settings = make_settings(tmp_path, **{"queue.broker_url": "redis://:s3cret@queue.example:6379/0"})
    shown = settings.model_dump_json()
    assert "s3cret" not in shown and "queue.example:6379" in shown
    assert "s3cret" in settings.model_dump_json(context={"reveal_secrets": True})
