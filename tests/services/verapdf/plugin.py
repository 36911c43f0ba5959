"""veraPDF, the PDF Association's PDF/A validator, for the archive-copy tests.

``service.sh start`` resolves it from Maven Central and exports its classpath; the ``verapdf``
fixture runs its command-line app on files and returns each file's verdict with the failed
rules. Missing: fail under CI=true, skip elsewhere with the command that provides it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from support import need_service

HOW = ('start it with `eval "$(tests/services/verapdf/service.sh start)"` (scripts/test does); '
       "it needs Java 17 and Maven")


@dataclass(frozen=True)
class Verdict:
    path: Path
    compliant: bool
    failures: list[str]  # "clause-test: description" of each failed rule


class VeraPdf:
    def __init__(self, classpath: str):
        self.classpath = classpath

    def validate(self, paths: list[Path], flavour: str = "2b") -> dict[Path, Verdict]:
        java = shutil.which("java") or "java"
        done = subprocess.run([java, "-cp", self.classpath, "org.verapdf.apps.GreenfieldCliWrapper",
                               "--flavour", flavour, "--format", "mrr", *map(str, paths)],
                              capture_output=True, text=True, timeout=300)
        report = done.stdout
        if "<report" not in report and "<jobs" not in report:
            raise RuntimeError(f"veraPDF gave no report (exit {done.returncode}): {done.stderr[-2000:]}")
        verdicts: dict[Path, Verdict] = {}
        for job in re.findall(r"<job>(.*?)</job>", report, re.S):
            name = re.search(r"<item[^>]*>\s*<name>(.*?)</name>", job, re.S)
            result = re.search(r'<validationReport[^>]*isCompliant="(true|false)"', job)
            if not name or not result:
                continue
            failures = [f"{c}-{t}: {d.strip()}" for c, t, d in re.findall(
                r'<rule[^>]*clause="([^"]*)"[^>]*testNumber="([^"]*)"[^>]*status="failed"[^>]*>\s*<description>(.*?)</description>',
                job, re.S)]
            path = Path(name.group(1).strip())
            verdicts[path] = Verdict(path, result.group(1) == "true", failures)
        missing = [p for p in paths if Path(p) not in verdicts]
        if missing:
            raise RuntimeError(f"veraPDF said nothing about {missing}: {report[-2000:]}{done.stderr[-1000:]}")
        return verdicts


@pytest.fixture(scope="session")
def verapdf() -> VeraPdf:
    classpath = need_service("veraPDF", "ARCHIVIO_TEST_VERAPDF_CP", HOW)
    return VeraPdf(classpath)
