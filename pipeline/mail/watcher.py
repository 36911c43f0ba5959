"""Mailboxes watched beside the inbox folder without ever holding up ``archivio watch``'s loop.

One thread and one IMAP connection per account folder (IDLE watches only the selected folder):
it waits for news with IDLE where the server advertises it (renewed every
``imap.IDLE_RENEW_SECONDS`` at most, with a full look each ``mail.poll_seconds``), else it
polls every ``mail.poll_seconds``. A fetched message is handed to the watch loop, which files
it with the one ``Intake`` (never used from two threads) and answers whether it may be marked
done; the thread marks it on its own connection. A dropped connection is retried with backoff
(1 s doubling to ``RECONNECT_MAX_SECONDS``), logged once per outage; what arrived meanwhile is
found by the first look after reconnecting. ``close`` stops every thread within about
``imap.STOP_CHECK_SECONDS`` plus a logout.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..config import MailAccount
from ..errors import ArchivioError
from ..intake import IntakeResult
from . import imap
from .poller import MailPoller, take_new

log = logging.getLogger(__name__)

RECONNECT_MAX_SECONDS = 60.0
RETRY_SECONDS = 10.0  # a message that could not be filed (store down) is looked at again this soon


@dataclass
class Fetched:
    account: MailAccount
    folder: str
    uid: int
    raw: bytes
    answered: threading.Event = field(default_factory=threading.Event)
    result: IntakeResult | None = None
    done: bool = False


class MailWatcher:
    def __init__(self, poller: MailPoller):
        self.poller = poller
        self._fetched: queue.Queue[Fetched] = queue.Queue()
        self._closing = threading.Event()
        self._said: set[tuple[str, str, int]] = set()  # messages whose failure was logged already
        self._modes = {f"{a.name}/{f}": "connecting" for a in poller.settings.mail.accounts for f in a.folders}
        self._threads = [threading.Thread(target=self._watch, args=(account, folder), daemon=True,
                                          name=f"mail {account.name}/{folder}")
                         for account in poller.settings.mail.accounts for folder in account.folders]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def ready(self) -> Iterator[IntakeResult]:
        """File what the threads fetched (never waits for the network); called by the watch loop."""
        while True:
            try:
                item = self._fetched.get_nowait()
            except queue.Empty:
                return
            try:
                item.result, item.done = self.poller.file(item.account, item.folder, item.uid, item.raw)
            except Exception as exc:  # noqa: BLE001 - one message must not stop the watcher; it stays new
                where = (item.account.name, item.folder, item.uid)
                if where not in self._said:  # once, not at every retry
                    self._said.add(where)
                    log.error("mail %s/%s: message %s not taken (%s); tried again every %.0f s", *where,
                              str(exc) or type(exc).__name__, RETRY_SECONDS)
                log.debug("mail %s/%s: message %s", *where, exc_info=True)
            finally:
                item.answered.set()
            if item.result is not None:
                yield item.result

    def state(self) -> list[dict]:
        """For the status file: each folder's way of waiting (idle / polling / connecting) or its outage."""
        out = []
        for key, mode in sorted(self._modes.items()):
            outage = self.poller.outage(key)
            out.append({"mailbox": key, "mode": "unreachable" if outage else mode, **(outage or {})})
        return out

    def close(self, timeout: float = 3.0) -> None:
        """Threads leave IDLE and log out; one stuck on a silent server (up to ``mail.timeout``) is
        not waited for: it only fetches and marks, and a message it leaves unmarked is recognised
        next time (its SHA-256 is in the journal)."""
        self._closing.set()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    # -- one thread per account folder ------------------------------------------------------
    def _watch(self, account: MailAccount, folder: str) -> None:
        settings = self.poller.settings.mail
        key = f"{account.name}/{folder}"
        backoff = 1.0
        while not self._closing.is_set():
            client = None
            wait = settings.poll_seconds
            try:
                client = imap.connect(account, settings.timeout)
                client.select_folder(folder)
                self.poller.reachable(key)
                backoff = 1.0
                idle = settings.idle and client.has_capability("IDLE")
                self._modes[key] = "idle" if idle else "polling"
                while not self._closing.is_set():
                    pending = self._look(client, account, folder)
                    if not idle:
                        wait = RETRY_SECONDS if pending else settings.poll_seconds
                        break  # polling: log out between looks, as a mail client does
                    imap.wait_for_news(client, self._closing, RETRY_SECONDS if pending else settings.poll_seconds)
            except imap.NETWORK_ERRORS as exc:
                self.poller.unreachable(key, account, exc, backoff)
                wait, backoff = backoff, min(backoff * 2, RECONNECT_MAX_SECONDS)
            except ArchivioError as exc:  # e.g. the password file went away
                self.poller.unreachable(key, account, exc, RECONNECT_MAX_SECONDS)
                wait = RECONNECT_MAX_SECONDS
            except Exception as exc:  # noqa: BLE001 - a server's odd answer must not end this folder's thread
                log.debug("mail %s: unexpected error", key, exc_info=True)
                self.poller.unreachable(key, account, exc, RECONNECT_MAX_SECONDS)
                wait = RECONNECT_MAX_SECONDS
            finally:
                imap.close(client)
            self._closing.wait(wait)

    def _look(self, client, account: MailAccount, folder: str) -> bool:
        """Take every new message; True when one had to stay new (to be looked at again soon)."""
        left: list[int] = []

        def hand_over(account: MailAccount, folder: str, uid: int, raw: bytes):
            answer = self._hand_over(account, folder, uid, raw)
            if answer is not None and not answer[1]:
                left.append(uid)
            return answer

        for _ in take_new(client, account, folder, hand_over):
            pass  # the results were reported by ready() on the watch loop's side
        return bool(left)

    def _hand_over(self, account: MailAccount, folder: str, uid: int, raw: bytes):
        item = Fetched(account, folder, uid, raw)
        self._fetched.put(item)
        while not item.answered.wait(imap.STOP_CHECK_SECONDS):
            if self._closing.is_set():
                return None
        return item.result, item.done
