"""Mailboxes as a second inbox: each new message is taken like a file dropped in the folder.

For every account and folder in ``[mail]``, the messages not yet marked done are fetched (by
``MailWatcher``'s threads in ``archivio watch``, or once by ``MailPoller.poll``) and each is
handed, as an ``.eml`` file, to the same ``Intake`` the inbox uses: the whole message is stored (the source) and a job committed, then each attachment Archivio
reads gets its own job (linked to the message, with the sender or the PEC envelope as
provenance), and only then is the message marked done on the server (``after``: a flag, a
move to another folder, or deletion when asked for). Filing the message later links those
attachments instead of taking them again.

Idempotent: a message whose Message-ID (or, without one, whose bytes) was taken before is
finished and marked done — a crash between taking it and marking it loses nothing and files
nothing twice; an attachment already in the journal is linked, not taken again (SHA-256).
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from imapclient import IMAPClient

from ..config import MailAccount, Settings
from ..errors import ArchivioError
from ..faults import crash_point
from ..intake import Intake, IntakeResult
from ..records import utcnow
from ..parts.filing import take_extracted
from . import imap
from .message import mail_content, message_id, read_message

log = logging.getLogger(__name__)

class TakenMessages:
    """Message-IDs already taken, per account (``data/mail.sqlite3``)."""

    def __init__(self, path: Path):
        self._local = threading.local()
        self.path = path
        self._db().execute("""CREATE TABLE IF NOT EXISTS taken (
            account TEXT NOT NULL, message_key TEXT NOT NULL, sha256 TEXT NOT NULL, at TEXT NOT NULL,
            PRIMARY KEY (account, message_key))""")

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            self._local.db = db
        return db

    def get(self, account: str, key: str) -> str | None:
        row = self._db().execute("SELECT sha256 FROM taken WHERE account = ? AND message_key = ?",
                                 (account, key)).fetchone()
        return row[0] if row else None

    def add(self, account: str, key: str, sha256: str) -> None:
        self._db().execute("INSERT OR IGNORE INTO taken VALUES (?, ?, ?, ?)",
                           (account, key, sha256, utcnow().isoformat()))


class MailPoller:
    """Files fetched messages (``file``) — always on the thread that owns the intake — and can
    look into every mailbox once (``poll``); ``MailWatcher`` keeps looking, one thread each."""

    def __init__(self, settings: Settings, intake: Intake):
        self.settings = settings
        self.intake = intake
        self.spool = settings.paths.data / "mail-spool"
        self.taken = TakenMessages(settings.paths.data / "mail.sqlite3")
        self._failing: dict[str, str] = {}  # account/folder -> why it cannot be reached now
        self._since: dict[str, str] = {}
        for account in settings.mail.accounts:
            account.password()  # a missing password stops start-up with one line, not every poll

    def poll(self, stop=None) -> Iterator[IntakeResult]:
        """Take every new message of every folder once, here; an account that cannot be reached is
        logged once per outage and tried again at the next poll."""
        for account in self.settings.mail.accounts:
            for folder in account.folders:
                key = f"{account.name}/{folder}"
                client = None
                try:
                    client = imap.connect(account, self.settings.mail.timeout)
                    client.select_folder(folder)
                    yield from take_new(client, account, folder, self.file, stop)
                    self.reachable(key)
                except imap.NETWORK_ERRORS as exc:
                    self.unreachable(key, account, exc, self.settings.mail.poll_seconds)
                finally:
                    imap.close(client)

    def reachable(self, key: str) -> None:
        if self._failing.pop(key, None) is not None:
            log.info("mail %s is reachable again", key)

    def unreachable(self, key: str, account: MailAccount, exc: BaseException, retry: float) -> None:
        """Logged once per outage, not at every retry (a drop is often "EOF" then "refused")."""
        reason = _reason(exc)
        if key not in self._failing:
            log.error("mail %s (%s:%s): %s; tried again in %.0f s and after, quietly until it is back", key,
                      account.host, account.port, reason, retry)
            self._since[key] = utcnow().isoformat()
        else:
            log.debug("mail %s still unreachable: %s", key, reason)
        self._failing[key] = reason

    def outage(self, key: str) -> dict[str, str] | None:
        """Since when and why ``account/folder`` cannot be reached, for `archivio status`."""
        reason = self._failing.get(key)
        return None if reason is None else {"since": self._since.get(key, ""), "reason": reason}

    def file(self, account: MailAccount, folder: str, uid: int, raw: bytes) -> tuple[IntakeResult | None, bool]:
        """Take one fetched message and its attachments; say whether it may be marked done now
        (every job committed) — False leaves it new on the server, to be taken again later."""
        sha = hashlib.sha256(raw).hexdigest()
        key = message_id(read_message(raw)) or sha
        earlier = self.taken.get(account.name, key)
        job = self.intake.journal.by_sha(sha)
        if job is not None and job.state != "quarantined":
            # Taken before a crash cut the bookkeeping short: finish it (attachments are idempotent).
            self._take_attachments(raw, sha, job.filename, job.folder)
            self.taken.add(account.name, key, sha)
            return None, True
        if earlier is not None:
            return None, True  # the same message again (another copy of it)
        folder_name = re.sub(r"[^\w.-]+", "_", folder)
        spool = self.spool / account.name / folder_name
        spool.mkdir(parents=True, exist_ok=True)
        path = spool / f"{_subject_name(raw)}-{uid}-{sha[:8]}.eml"
        path.write_bytes(raw)
        result = self.intake.take(path, root=self.spool, handoff="delete")
        if result.outcome in ("changing", "unavailable", "gone"):
            path.unlink(missing_ok=True)
            return result, False  # the store is not there: the message stays new on the server
        crash_point("mail.after_intake")
        if result.outcome == "queued" and result.job is not None:
            self._take_attachments(raw, sha, result.job.filename, result.job.folder)
        crash_point("mail.after_attachments")
        self.taken.add(account.name, key, sha)
        return result, True

    def _take_attachments(self, raw: bytes, sha: str, filename: str, folder: str) -> None:
        """Every attachment's job is committed before the message is marked done; filing the
        message later links them (already in the journal) instead of taking them again."""
        try:
            content = mail_content(raw, self.settings, path=filename)
        except ArchivioError as exc:
            log.warning("%s: attachments not taken (%s); the message itself is queued and says why", filename, exc)
            return
        for n, extracted in enumerate(content.files, 1):
            take_extracted(self.intake.archive, self.intake, parent_id=sha, parent_name=filename,
                           parent_folder=folder, extracted=extracted, index=n, provenance=content.provenance)


Filer = Callable[[MailAccount, str, int, bytes], "tuple[IntakeResult | None, bool] | None"]


def take_new(client: IMAPClient, account: MailAccount, folder: str, file: Filer, stop=None) -> Iterator[IntakeResult]:
    """Fetch each new message of the selected folder, have ``file`` take it, and mark it done only
    when ``file`` says every job is committed. ``file`` returning None means "stopping"."""
    for uid in imap.new_messages(client):
        if stop:
            return
        raw = imap.fetch(client, uid)
        if raw is None:
            log.warning("mail %s/%s: message %s could not be fetched; tried again later", account.name, folder, uid)
            continue
        answer = file(account, folder, uid, raw)
        if answer is None:
            return
        result, done = answer
        if done:
            imap.mark_done(client, account, uid)
        if result is not None:
            yield result


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    if text.startswith(("b'", 'b"')):
        text = text[2:-1]  # imapclient passes the server's bytes through
    if text.endswith("EOF"):
        return "the server closed the connection"
    return text


def _subject_name(raw: bytes) -> str:
    subject = str(read_message(raw).get("Subject", "") or "messaggio")
    return (re.sub(r"[^\w-]+", "-", subject).strip("-")[:60] or "messaggio").lower()
