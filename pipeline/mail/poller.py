"""Mailboxes as a second inbox: each new message is taken like a file dropped in the folder.

For every account and folder in ``[mail]``, ``MailPoller.poll`` fetches the messages not yet
marked done and hands each one, as an ``.eml`` file, to the same ``Intake`` the inbox uses:
the whole message is stored (the source) and a job committed, then each attachment Archivio
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
import imaplib
import logging
import re
import sqlite3
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from ..config import MailAccount, Settings
from ..errors import ArchivioError
from ..faults import crash_point
from ..intake import Intake, IntakeResult
from ..records import utcnow
from ..parts.filing import take_extracted
from .message import mail_content, message_id, read_message

log = logging.getLogger(__name__)

DONE_FLAG = "$Archiviato"  # an IMAP keyword: visible in most mail clients as a tag


class MailError(ArchivioError):
    stage = "mail"


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
    def __init__(self, settings: Settings, intake: Intake):
        self.settings = settings
        self.intake = intake
        self.spool = settings.paths.data / "mail-spool"
        self.taken = TakenMessages(settings.paths.data / "mail.sqlite3")
        self._next_poll = 0.0
        self._failing: dict[str, str] = {}
        for account in settings.mail.accounts:
            account.password()  # a missing password stops start-up with one line, not every poll

    def due(self) -> bool:
        return bool(self.settings.mail.accounts) and time.monotonic() >= self._next_poll

    def poll(self, stop=None) -> Iterator[IntakeResult]:
        """Take every new message of every account once; an account that cannot be reached is
        logged once per outage and tried again at the next poll."""
        self._next_poll = time.monotonic() + self.settings.mail.poll_seconds
        for account in self.settings.mail.accounts:
            try:
                yield from self._poll_account(account, stop)
                if account.name in self._failing:
                    log.info("mail account %s is reachable again", account.name)
                    del self._failing[account.name]
            except (OSError, imaplib.IMAP4.error, ssl.SSLError, ArchivioError) as exc:
                reason = str(exc) or type(exc).__name__
                if self._failing.get(account.name) != reason:
                    log.error("mail account %s (%s:%s): %s; tried again in %.0f s", account.name, account.host,
                              account.port, reason, self.settings.mail.poll_seconds)
                self._failing[account.name] = reason

    # -- one account ------------------------------------------------------------------------
    def _connect(self, account: MailAccount) -> imaplib.IMAP4:
        timeout = self.settings.mail.timeout
        context = ssl.create_default_context(cafile=str(account.ca_bundle) if account.ca_bundle else None)
        if account.security == "tls":
            conn = imaplib.IMAP4_SSL(account.host, account.port, ssl_context=context, timeout=timeout)
        else:
            conn = imaplib.IMAP4(account.host, account.port, timeout=timeout)
            if account.security == "starttls":
                conn.starttls(ssl_context=context)
        conn.login(account.user, account.password())
        return conn

    def _poll_account(self, account: MailAccount, stop) -> Iterator[IntakeResult]:
        conn = self._connect(account)
        try:
            for folder in account.folders:
                status, _ = conn.select(_quote(folder))
                if status != "OK":
                    raise MailError(f"folder {folder!r} cannot be opened", path=account.name)
                status, data = conn.uid("SEARCH", None, "UNKEYWORD", DONE_FLAG, "UNDELETED")
                if status != "OK":
                    raise MailError(f"searching folder {folder!r} failed", path=account.name)
                for uid in (data[0] or b"").split():
                    if stop:
                        return
                    result = self._take(conn, account, folder, uid.decode())
                    if result is not None:
                        yield result
                if account.after == "delete":
                    conn.expunge()
        finally:
            try:
                conn.logout()
            except (OSError, imaplib.IMAP4.error):
                pass

    def _take(self, conn: imaplib.IMAP4, account: MailAccount, folder: str, uid: str) -> IntakeResult | None:
        status, data = conn.uid("FETCH", uid, "(BODY.PEEK[])")
        raw = next((item[1] for item in data or [] if isinstance(item, tuple)), None)
        if status != "OK" or raw is None:
            log.warning("mail %s/%s: message %s could not be fetched; tried again later", account.name, folder, uid)
            return None
        sha = hashlib.sha256(raw).hexdigest()
        key = message_id(read_message(raw)) or sha
        earlier = self.taken.get(account.name, key)
        job = self.intake.journal.by_sha(sha)
        if job is not None and job.state != "quarantined":
            # Taken before a crash cut the bookkeeping short: finish it (attachments are idempotent).
            self._take_attachments(raw, sha, job.filename, job.folder)
            self.taken.add(account.name, key, sha)
            self._mark_done(conn, account, uid)
            return None
        if earlier is not None:
            self._mark_done(conn, account, uid)  # the same message again (another copy of it)
            return None
        folder_name = re.sub(r"[^\w.-]+", "_", folder)
        spool = self.spool / account.name / folder_name
        spool.mkdir(parents=True, exist_ok=True)
        path = spool / f"{_subject_name(raw)}-{uid}-{sha[:8]}.eml"
        path.write_bytes(raw)
        result = self.intake.take(path, root=self.spool, handoff="delete")
        if result.outcome in ("changing", "unavailable", "gone"):
            path.unlink(missing_ok=True)
            return result  # the store is not there: the message stays new on the server
        crash_point("mail.after_intake")
        if result.outcome == "queued" and result.job is not None:
            self._take_attachments(raw, sha, result.job.filename, result.job.folder)
        crash_point("mail.after_attachments")
        self.taken.add(account.name, key, sha)
        self._mark_done(conn, account, uid)
        return result

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

    def _mark_done(self, conn: imaplib.IMAP4, account: MailAccount, uid: str) -> None:
        conn.uid("STORE", uid, "+FLAGS", f"({DONE_FLAG})")
        if account.after == "move":
            conn.create(_quote(account.move_to))  # fails harmlessly when it exists
            status, _ = conn.uid("MOVE", uid, _quote(account.move_to))
            if status != "OK":
                conn.uid("COPY", uid, _quote(account.move_to))
                conn.uid("STORE", uid, "+FLAGS", r"(\Deleted)")
        elif account.after == "delete":
            conn.uid("STORE", uid, "+FLAGS", r"(\Deleted)")


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _subject_name(raw: bytes) -> str:
    subject = str(read_message(raw).get("Subject", "") or "messaggio")
    return (re.sub(r"[^\w-]+", "-", subject).strip("-")[:60] or "messaggio").lower()
