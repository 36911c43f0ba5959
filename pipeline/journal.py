"""The durable job journal: one SQLite file that remembers every document taken in.

A job is written (and committed) before its file leaves the inbox, so a crash at any moment
leaves either the file in the inbox or a job in the journal, never neither. The job's state
moves ``queued → running → stored → filed`` or ends in ``quarantined``; a restart puts
``running`` jobs back in the queue. Duplicates have a table of their own.

This is the embedded ``JobQueue``; the interface is small on purpose so that a broker-backed
queue can stand in its place on a multi-machine deployment.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .errors import ArchivioError
from .folders import display_name
from .records import utcnow

QUEUED, RUNNING, STORED, FILED, QUARANTINED = "queued", "running", "stored", "filed", "quarantined"
STATES = (QUEUED, RUNNING, STORED, FILED, QUARANTINED)


@dataclass(frozen=True)
class Job:
    id: int
    sha256: str
    source_path: str  # printable; ``source`` is the real path
    source: Path
    filename: str
    folder: str
    size: int
    mtime: float | None
    received_at: dt.datetime
    state: str
    handed_off: bool
    attempts: int
    moved_to: Path | None = None
    stage: str | None = None
    error: str | None = None
    doc_class: str | None = None


class JobQueue(Protocol):
    def enqueue(self, *, sha256: str, source: Path, filename: str, folder: str, size: int,
                mtime: float | None) -> Job: ...

    def claim(self, limit: int) -> list[Job]: ...

    def mark(self, job_id: int, state: str, **fields: object) -> None: ...

    def recover(self) -> int: ...


class Journal:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._migrate()

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")  # a committed job survives a power cut
            self._local.db = db
        return db

    def _migrate(self) -> None:
        self._db().executescript(
            """
            CREATE TABLE IF NOT EXISTS jobs (
                id INTEGER PRIMARY KEY,
                sha256 TEXT NOT NULL UNIQUE,
                source_path TEXT NOT NULL,  -- printable form, for people
                source_raw BLOB NOT NULL,   -- the exact bytes of the path, for the file system
                filename TEXT NOT NULL,
                folder TEXT NOT NULL DEFAULT '',
                size INTEGER NOT NULL,
                mtime REAL,
                received_at TEXT NOT NULL,
                state TEXT NOT NULL,
                handed_off INTEGER NOT NULL DEFAULT 0,
                moved_to BLOB,
                attempts INTEGER NOT NULL DEFAULT 0,
                stage TEXT,
                error TEXT,
                doc_class TEXT,
                updated_at TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS jobs_state ON jobs(state);
            CREATE TABLE IF NOT EXISTS duplicates (
                id INTEGER PRIMARY KEY,
                sha256 TEXT NOT NULL,
                source_path TEXT NOT NULL,
                moved_to TEXT,
                original_job INTEGER,
                at TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS rejects (
                id INTEGER PRIMARY KEY,
                source_path TEXT NOT NULL,
                moved_to TEXT,
                stage TEXT NOT NULL,
                reason TEXT NOT NULL,
                at TEXT NOT NULL
            );
            """
        )

    # -- writing --------------------------------------------------------------------------
    def enqueue(self, *, sha256: str, source: Path, filename: str, folder: str, size: int,
                mtime: float | None, handed_off: bool = False) -> Job:
        """Record a new job, or requeue a quarantined one for the same content (a retry).
        ``handed_off``: the file stays where it is (nothing to hand off), one commit less."""
        now = utcnow().isoformat()
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute(
                """INSERT INTO jobs (sha256, source_path, source_raw, filename, folder, size, mtime, received_at,
                                     state, handed_off, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(sha256) DO UPDATE SET
                     source_path = excluded.source_path, source_raw = excluded.source_raw, filename = excluded.filename, folder = excluded.folder,
                     size = excluded.size, mtime = excluded.mtime, received_at = excluded.received_at,
                     state = excluded.state, handed_off = excluded.handed_off, moved_to = NULL, attempts = 0, stage = NULL, error = NULL,
                     updated_at = excluded.updated_at
                   WHERE jobs.state = 'quarantined'""",
                (sha256, display_name(str(source)), os.fsencode(source), filename, folder, size, mtime, now, QUEUED,
                 int(handed_off), now),
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        job = self.by_sha(sha256)
        assert job is not None
        return job

    def mark(self, job_id: int, state: str, **fields: object) -> None:
        assert state in STATES, state
        sets = ", ".join(f"{k} = :{k}" for k in fields)
        self._db().execute(
            f"UPDATE jobs SET state = :state, updated_at = :now{', ' + sets if sets else ''} WHERE id = :id",
            {"state": state, "now": utcnow().isoformat(), "id": job_id, **fields},
        )

    def fail(self, job_id: int, error: ArchivioError) -> None:
        self.mark(job_id, QUARANTINED, stage=error.stage, error=error.reason)

    def handed_off(self, job_id: int, moved_to: Path | None) -> None:
        raw = os.fsencode(moved_to) if moved_to else None
        self._db().execute("UPDATE jobs SET handed_off = 1, moved_to = ? WHERE id = ?", (raw, job_id))

    def claim(self, limit: int) -> list[Job]:
        """Take up to ``limit`` queued jobs, oldest first, and mark them running."""
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            rows = db.execute("SELECT * FROM jobs WHERE state = ? ORDER BY id LIMIT ?", (QUEUED, limit)).fetchall()
            for row in rows:
                db.execute("UPDATE jobs SET state = ?, attempts = attempts + 1, updated_at = ? WHERE id = ?",
                           (RUNNING, utcnow().isoformat(), row["id"]))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return [_job({**dict(r), "state": RUNNING, "attempts": r["attempts"] + 1}) for r in rows]

    def queued(self) -> int:
        """How many jobs wait to be claimed."""
        return self._db().execute("SELECT count(*) FROM jobs WHERE state = ?", (QUEUED,)).fetchone()[0]

    def requeue(self, job_id: int) -> None:
        self.mark(job_id, QUEUED)

    def recover(self) -> int:
        """After a crash or restart: running jobs go back to the queue."""
        cur = self._db().execute("UPDATE jobs SET state = ? WHERE state = ?", (QUEUED, RUNNING))
        return cur.rowcount

    def add_duplicate(self, sha256: str, source: Path, moved_to: Path | None, original_job: int | None) -> None:
        self._db().execute(
            "INSERT INTO duplicates (sha256, source_path, moved_to, original_job, at) VALUES (?, ?, ?, ?, ?)",
            (sha256, display_name(str(source)), display_name(str(moved_to)) if moved_to else None, original_job,
             utcnow().isoformat()),
        )

    def add_reject(self, source: Path, moved_to: Path | None, stage: str, reason: str) -> None:
        """A file refused at intake (empty, unsupported…): it never became a job."""
        self._db().execute(
            "INSERT INTO rejects (source_path, moved_to, stage, reason, at) VALUES (?, ?, ?, ?, ?)",
            (display_name(str(source)), display_name(str(moved_to)) if moved_to else None, stage, reason,
             utcnow().isoformat()),
        )

    # -- reading --------------------------------------------------------------------------
    def by_sha(self, sha256: str) -> Job | None:
        row = self._db().execute("SELECT * FROM jobs WHERE sha256 = ?", (sha256,)).fetchone()
        return _job(dict(row)) if row else None

    def get(self, job_id: int) -> Job | None:
        row = self._db().execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return _job(dict(row)) if row else None

    def in_state(self, *states: str) -> Iterator[Job]:
        marks = ",".join("?" * len(states))
        for row in self._db().execute(f"SELECT * FROM jobs WHERE state IN ({marks}) ORDER BY id", states):
            yield _job(dict(row))

    def unfinished_handoffs(self) -> Iterator[Job]:
        for row in self._db().execute("SELECT * FROM jobs WHERE handed_off = 0 ORDER BY id"):
            yield _job(dict(row))

    def counts(self) -> dict[str, int]:
        out = {state: 0 for state in STATES}
        for row in self._db().execute("SELECT state, count(*) AS n FROM jobs GROUP BY state"):
            out[row["state"]] = row["n"]
        out["duplicates"] = self._db().execute("SELECT count(*) FROM duplicates").fetchone()[0]
        out["rejected"] = self._db().execute("SELECT count(*) FROM rejects").fetchone()[0]
        return out

    def recent_problems(self, limit: int = 20) -> list[dict]:
        rows = self._db().execute(
            """SELECT source_path, stage, error AS reason, updated_at AS at FROM jobs WHERE state = 'quarantined'
               UNION ALL SELECT source_path, stage, reason, at FROM rejects
               ORDER BY at DESC LIMIT ?""",
            (limit,),
        ).fetchall()
        return [dict(r) for r in rows]

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None


def _job(row: dict) -> Job:
    return Job(
        id=row["id"], sha256=row["sha256"], source_path=row["source_path"], source=Path(os.fsdecode(row["source_raw"])),
        filename=row["filename"],
        folder=row["folder"], size=row["size"], mtime=row["mtime"],
        received_at=dt.datetime.fromisoformat(row["received_at"]), state=row["state"],
        handed_off=bool(row["handed_off"]), attempts=row["attempts"], moved_to=Path(os.fsdecode(row["moved_to"])) if row.get("moved_to") else None, stage=row.get("stage"),
        error=row.get("error"), doc_class=row.get("doc_class"),
    )
