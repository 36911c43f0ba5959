"""One IMAP folder as the poller sees it: connect, list new messages, fetch one, mark it done,
and wait for news (IDLE, RFC 2177, where the server offers it).

``imapclient`` (BSD licence) does the protocol: folder names in modified UTF-7, parsed
responses, and IDLE, which the standard library's ``imaplib`` lacks before Python 3.14.
"""

from __future__ import annotations

import imaplib
import logging
import ssl
import threading
import time

from imapclient import DELETED, IMAPClient
from imapclient.exceptions import IMAPClientError

from ..config import MailAccount

logging.getLogger("imapclient").setLevel(logging.WARNING)  # it says "Connection closed" at INFO on every logout

DONE_FLAG = "$Archiviato"  # an IMAP keyword: visible in most mail clients as a tag

# RFC 2177: a server may drop a client idle for 30 minutes; IDLE is left and issued again sooner.
IDLE_RENEW_SECONDS = 25 * 60
# How often a wait looks at the stop flag: shutdown while idling takes at most this long.
STOP_CHECK_SECONDS = 0.5

# Everything a dropped, refused or confused connection raises (imapclient's errors are imaplib's).
NETWORK_ERRORS = (OSError, ssl.SSLError, imaplib.IMAP4.error, IMAPClientError)


def connect(account: MailAccount, timeout: float) -> IMAPClient:
    context = ssl.create_default_context(cafile=str(account.ca_bundle) if account.ca_bundle else None)
    client = IMAPClient(account.host, account.port, ssl=account.security == "tls", ssl_context=context,
                        timeout=timeout)
    try:
        if account.security == "starttls":
            client.starttls(ssl_context=context)
        client.login(account.user, account.password())
    except BaseException:
        close(client)
        raise
    return client


def close(client: IMAPClient | None) -> None:
    """Log out, ignoring a connection that is already gone."""
    if client is None:
        return
    try:
        client.logout()
    except NETWORK_ERRORS:
        try:
            client.shutdown()
        except NETWORK_ERRORS:
            pass


def new_messages(client: IMAPClient) -> list[int]:
    """UIDs of the selected folder's messages not yet marked done, oldest first."""
    return sorted(client.search(["UNKEYWORD", DONE_FLAG, "UNDELETED"]))


def fetch(client: IMAPClient, uid: int) -> bytes | None:
    """The whole message, without setting \\Seen (a person may still want to read it)."""
    data = client.fetch([uid], ["BODY.PEEK[]"]).get(uid, {})
    raw = data.get(b"BODY[]")
    return bytes(raw) if raw is not None else None


def mark_done(client: IMAPClient, account: MailAccount, uid: int) -> None:
    client.add_flags([uid], [DONE_FLAG], silent=True)
    if account.after == "move":
        try:
            client.create_folder(account.move_to)
        except IMAPClientError:
            pass  # it exists already
        if client.has_capability("MOVE"):
            client.move([uid], account.move_to)
            return
        client.copy([uid], account.move_to)
        _delete(client, uid)
    elif account.after == "delete":
        _delete(client, uid)


def _delete(client: IMAPClient, uid: int) -> None:
    client.add_flags([uid], [DELETED], silent=True)
    if client.has_capability("UIDPLUS"):
        client.expunge([uid])  # UID EXPUNGE: only this message, not others a person marked deleted
    else:
        client.expunge()


def wait_for_news(client: IMAPClient, stop: threading.Event, seconds: float) -> None:
    """Return when the selected folder may hold something new, after ``seconds`` at the latest, or
    soon after ``stop`` is set. Needs IDLE. A connection that died while idling raises when IDLE
    is ended (the caller reconnects); one that died silently is found at the latest at renewal."""
    deadline = time.monotonic() + min(seconds, IDLE_RENEW_SECONDS)
    client.idle()
    try:
        while not stop.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return
            slice_ = min(STOP_CHECK_SECONDS, left)
            started = time.monotonic()
            responses = client.idle_check(timeout=slice_)
            if any(_news(r) for r in responses):
                return
            if not responses and time.monotonic() - started < slice_ / 2:
                return  # woken with nothing readable: the server closed; ending IDLE tells
    finally:
        client.idle_done()


def _news(response: tuple) -> bool:
    """EXISTS/RECENT: a message arrived; BYE: the server is leaving. "* OK Still here" is not news."""
    words = {item for item in response if isinstance(item, bytes)}
    return bool(words & {b"EXISTS", b"RECENT", b"BYE"})
