"""Mailboxes as a second inbox, against a real IMAP server (Dovecot on loopback): messages built
here are delivered, `archivio watch` takes them, files their attachments and marks them done."""

from __future__ import annotations

import json
import uuid
import os
import signal
import socket
import threading
import time
from pathlib import Path

import pytest

from docgen import italian_invoice
from gen_fatturapa import fattura, make_signer, sign
from gen_mail import ordinary, pec
from pipeline.journal import Journal
from pipeline.mail.message import analyse_mail
from support import make_settings
from test_watch_e2e import Watcher, archivio, wait_for

pytestmark = [pytest.mark.slow]


def _office(root: Path, account: dict, **mail) -> Path:
    for name in ("inbox", "processed", "quarantine", "duplicates", "data"):
        (root / name).mkdir(parents=True, exist_ok=True)
    mail = {"poll_seconds": 1, **mail}
    lines = ["[mail]"] + [f"{k} = {json.dumps(v)}" for k, v in mail.items()]
    lines += ["[[mail.accounts]]"] + [f"{k} = {json.dumps(v)}" for k, v in account.items()]
    (root / "office.toml").write_text("\n".join(lines) + "\n")
    return root


def _watch(office: Path, **env) -> Watcher:
    return Watcher(office, ARCHIVIO_CONFIG=str(office / "office.toml"), ARCHIVIO_WORKERS_COUNT="1",
                   ARCHIVIO_TEST_IMAP_PASSWORD=os.environ["ARCHIVIO_TEST_IMAP_PASSWORD"], **env)


def _records(office: Path) -> list[dict]:
    out = []
    for path in (office / "data" / "store" / "records").rglob("*.json"):
        data = json.loads(path.read_text())
        if "id" in data:
            out.append(data)
    return out


def _by_name(records: list[dict], suffix: str) -> list[dict]:
    return [r for r in records if r["source"]["filename"].endswith(suffix)]


@pytest.fixture(scope="module")
def mailbox_run(imap_server, tmp_path_factory):
    """Four messages in one folder, one watcher run: ordinary with a PDF, PEC with a signed
    FatturaPA, no attachment, an attachment over the size limit."""
    folder = f"t-batch-{uuid.uuid4().hex[:8]}"
    scratch = tmp_path_factory.mktemp("mail-scratch")
    pdf = italian_invoice(scratch / "fattura.pdf", seed=11).path.read_bytes()
    signed = sign(fattura(), make_signer())
    imap_server.deliver(folder, ordinary(subject="Fattura marzo", attachments=[("fattura-marzo.pdf", pdf, "application/pdf")]))
    imap_server.deliver(folder, pec(attachments=[("IT01234567890_abc12.xml.p7m", signed, "application/pkcs7-mime")]))
    imap_server.deliver(folder, ordinary(subject="Solo saluti", body="Nessun allegato, solo un saluto."))
    big = b"%PDF-1.4\n" + os.urandom(1_400_000)
    imap_server.deliver(folder, ordinary(subject="Troppo grande", attachments=[("enorme.pdf", big, "application/pdf")]))
    office = _office(tmp_path_factory.mktemp("mail-office"), imap_server.account("ufficio", folder),
                     max_attachment_mb=1, idle=False)  # the polling path (servers without IDLE)
    watcher = _watch(office)
    try:
        wait_for(lambda: len(_records(office)) >= 6 and all(r["filed_at"] for r in _records(office)), 120,
                 "4 messages and 2 attachments filed", watcher)
        time.sleep(1.5)  # one more poll: nothing new may be taken
    finally:
        code = watcher.stop()
    return office, _records(office), imap_server.flags(folder), watcher.output(), code


def test_every_message_is_kept_whole_and_marked_done(mailbox_run):
    office, records, flags, log, code = mailbox_run
    assert code == 0, log[-3000:]
    messages = [r for r in records if r["media_type"] == "message/rfc822"]
    assert len(messages) == 4 and all(r["source"]["folder"].startswith("ufficio/t-batch-") for r in messages)
    assert len(flags) == 4 and all("$Archiviato" in f for f in flags), flags
    assert not any((office / "data" / "mail-spool").rglob("*.eml"))


def test_an_ordinary_mail_files_its_pdf_linked_to_the_message(mailbox_run):
    _, records, *_ = mailbox_run
    [message] = [r for r in records if r["fields"].get("mail_subject", {}).get("value") == "Fattura marzo"]
    [pdf] = _by_name(records, "fattura-marzo.pdf")
    assert pdf["parent"]["id"] == message["id"] and pdf["parent"]["relation"] == "attachment"
    assert pdf["source"]["via"]["mail_from"] == "fornitore@example.it"
    assert pdf["class"] == "invoice" and pdf["id"] in message["parts"]


def test_a_pec_message_files_the_signed_einvoice_with_the_envelope_as_provenance(mailbox_run):
    _, records, *_ = mailbox_run
    [invoice] = _by_name(records, "IT01234567890_abc12.xml.p7m")
    assert invoice["class"] == "invoice" and invoice["fields"]["signature"]["value"] == "valid"
    assert invoice["fields"]["number"]["value"] == "FT-2024/0042"
    via = invoice["source"]["via"]
    assert via["pec_sender"] == "sdi01@pec.fatturapa.it" and via["pec_type"] == "posta-certificata"
    assert via["pec_id"].startswith("opec210312") and via["pec_provider"] == "ARUBA PEC S.p.A."
    assert not _by_name(records, "daticert.xml") and not _by_name(records, "smime.p7s")


def test_no_attachment_and_oversized_attachment_are_said_plainly(mailbox_run):
    _, records, *_ = mailbox_run
    [plain] = [r for r in records if r["fields"].get("mail_subject", {}).get("value") == "Solo saluti"]
    assert any("no attachment" in w for w in plain["warnings"])
    [big] = [r for r in records if r["fields"].get("mail_subject", {}).get("value") == "Troppo grande"]
    assert any("enorme.pdf" in w and "max_attachment_mb" in w for w in big["warnings"])
    assert not _by_name(records, "enorme.pdf")


@pytest.mark.parametrize("point", ["mail.after_intake", "mail.after_attachments"])
def test_a_kill_mid_message_loses_nothing_and_files_nothing_twice(imap_server, imap_folder, tmp_path, point):
    pdf = italian_invoice(tmp_path / "f.pdf", seed=12).path.read_bytes()
    imap_server.deliver(imap_folder, ordinary(subject="Dopo il crash", attachments=[("crash.pdf", pdf, "application/pdf")]))
    office = _office(tmp_path / "office", imap_server.account("ufficio", imap_folder))
    first = _watch(office, ARCHIVIO_CRASH_AT=point)
    assert first.proc.wait(120) == -signal.SIGKILL, first.output()[-2000:]
    assert "$Archiviato" not in imap_server.flags(imap_folder)[0]  # taken, but not yet marked done
    jobs = Journal(office / "data" / "journal.sqlite3")
    taken = {job.filename for job in jobs.in_state("queued", "running", "stored", "filed")}
    assert ("crash.pdf" in taken) == (point == "mail.after_attachments"), taken
    second = _watch(office)
    try:
        wait_for(lambda: len([r for r in _records(office) if r["filed_at"]]) >= 2, 120, "message and PDF filed",
                 second)
        wait_for(lambda: "$Archiviato" in imap_server.flags(imap_folder)[0], 30, "message marked done", second)
        time.sleep(1.5)
    finally:
        assert second.stop() == 0
    records = _records(office)
    assert len(_by_name(records, "crash.pdf")) == 1
    assert len([r for r in records if r["media_type"] == "message/rfc822"]) == 1
    assert not any((office / "duplicates").iterdir())


def test_a_message_read_offline_yields_its_attachments(tmp_path):
    (tmp_path / "office").mkdir()
    settings = make_settings(tmp_path / "office")
    path = tmp_path / "m.eml"
    path.write_bytes(ordinary(subject="x", attachments=[("a.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
                                                       ("b.docx", b"PK\x03\x04rest", "application/octet-stream")]))
    analysis = analyse_mail(path, settings)
    assert [f.name for f in analysis.derived.files] == ["a.pdf"]
    assert any("b.docx" in w and "zip" in w.lower() for w in analysis.warnings)


def test_a_message_over_the_file_limit_goes_to_quarantine_and_is_marked_done(imap_server, imap_folder, tmp_path):
    big = b"%PDF-1.4\n" + os.urandom(900_000)  # base64 makes the message about 1.2 MB
    imap_server.deliver(imap_folder, ordinary(subject="Enorme", attachments=[("enorme.pdf", big, "application/pdf")]))
    office = _office(tmp_path / "office", imap_server.account("ufficio", imap_folder))
    watcher = _watch(office, ARCHIVIO_WORKERS_MAX_FILE_MB="1")
    try:
        notes = wait_for(lambda: list((office / "quarantine").rglob("*.error.json")), 60, "a quarantine note", watcher)
        wait_for(lambda: "$Archiviato" in imap_server.flags(imap_folder)[0], 30, "message marked done", watcher)
    finally:
        assert watcher.stop() == 0
    note = json.loads(notes[0].read_text())
    assert "more than the limit" in note["reason"]
    kept = notes[0].with_name(notes[0].name.removesuffix(".error.json"))
    assert kept.suffix == ".eml" and b"Subject: Enorme" in kept.read_bytes()
    assert not _records(office)


@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_tls_and_starttls_accounts_verify_the_server_certificate(imap_server, imap_folder, tmp_path, security,
                                                                 monkeypatch, caplog):
    from pipeline.intake import Intake
    from pipeline.journal import Journal
    from pipeline.mail.poller import MailPoller
    from pipeline.quarantine import Quarantine
    from pipeline.store import open_archive

    imap_server.deliver(imap_folder, ordinary(subject="Cifrato"))
    port = imap_server.tls_port if security == "tls" else imap_server.port
    monkeypatch.setenv("ARCHIVIO_TEST_IMAP_PASSWORD", imap_server.password)
    for name in ("inbox", "processed", "quarantine", "duplicates", "data"):
        (tmp_path / name).mkdir()

    def poller(**account):
        settings = make_settings(tmp_path, **{"mail.poll_seconds": 3600, "mail.accounts": [imap_server.account(
            "ufficio", imap_folder, security=security, port=port, **account)]})
        intake = Intake(settings, open_archive(settings), Journal(settings.journal_path),
                        Quarantine(settings.paths.quarantine))
        return MailPoller(settings, intake)

    # The system CAs do not know the test CA: refused, logged, nothing taken, nothing raised.
    assert list(poller().poll()) == []
    assert "certificate verify failed" in caplog.text
    assert "$Archiviato" not in imap_server.flags(imap_folder)[0]
    [result] = list(poller(ca_bundle=imap_server.ca).poll())
    assert result.outcome == "queued"
    assert "$Archiviato" in imap_server.flags(imap_folder)[0]

    # The watcher idles over the same encrypted connection: a new message comes in without a poll.
    from pipeline.mail.watcher import MailWatcher

    watcher = MailWatcher(poller(ca_bundle=imap_server.ca))
    watcher.start()
    try:
        time.sleep(2)  # connected, looked (nothing new), idling
        imap_server.deliver(imap_folder, ordinary(subject="Cifrato, durante IDLE"))
        taken = wait_for(lambda: list(watcher.ready()), 30, "the message sent while idling over TLS")
        wait_for(lambda: all("$Archiviato" in f for f in imap_server.flags(imap_folder)), 30, "marked done")
    finally:
        watcher.close()
    assert [r.outcome for r in taken] == ["queued"]


def _stop_timed(watcher: Watcher) -> tuple[int, float]:
    """SIGTERM, as a service manager stops it: exit code and seconds until it exited."""
    started = time.monotonic()
    code = watcher.stop()
    return code, time.monotonic() - started


def _kill_if_alive(watcher: Watcher) -> None:
    if watcher.alive():
        watcher.stop(signal.SIGKILL)


def _mailboxes(office: Path) -> list[dict]:
    """What `archivio status --json` says of each mailbox folder of the running watcher."""
    result = archivio(office, "status", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["watcher"]["mailboxes"]


def _done(imap_server, folder: str) -> int:
    return sum("$Archiviato" in f for f in imap_server.flags(folder))


def test_idle_files_a_new_message_at_once_reconnects_after_a_drop_and_stops_promptly(imap_server, imap_folder,
                                                                                      tmp_path):
    """poll_seconds is an hour: only IDLE can bring the second and third messages in."""
    imap_server.deliver(imap_folder, ordinary(subject="Primo"))
    office = _office(tmp_path / "office", imap_server.account("ufficio", imap_folder), poll_seconds=3600)
    watcher = _watch(office)
    try:
        wait_for(lambda: _done(imap_server, imap_folder) == 1, 60, "the first message taken", watcher)
        time.sleep(1)  # idling now
        box = f"ufficio/{imap_folder}"
        assert _mailboxes(office) == [{"mailbox": box, "mode": "idle"}]
        imap_server.deliver(imap_folder, ordinary(subject="Secondo, durante IDLE"))
        sent = time.monotonic()
        wait_for(lambda: _done(imap_server, imap_folder) == 2, 30, "the message sent while idling", watcher)
        latency = time.monotonic() - sent
        assert latency < 10, latency  # seconds, not poll_seconds (typically well under 1 s)

        # The server goes away; a message arrives meanwhile (local delivery); the server comes back.
        imap_server.stop_server()
        try:
            imap_server.deliver_offline(imap_folder, ordinary(subject="Arrivato durante il guasto"))
            time.sleep(5)  # several reconnection attempts (1 s, 2 s...)
            [down] = _mailboxes(office)
            assert down["mode"] == "unreachable" and down["reason"] and down["since"], down
            assert f"mailbox     {box}: unreachable since" in archivio(office, "status").stdout
        finally:
            imap_server.start_server()
        wait_for(lambda: _done(imap_server, imap_folder) == 3, 60, "the message that arrived while down", watcher)
        wait_for(lambda: _mailboxes(office) == [{"mailbox": box, "mode": "idle"}], 30, "idling again", watcher)
        code, stopped_in = _stop_timed(watcher)
    finally:
        _kill_if_alive(watcher)
    log = watcher.output()
    assert code == 0, log[-3000:]
    assert stopped_in < 10, stopped_in  # IDLE is left within a second; the rest is the watcher's own exit
    assert log.count(f"mail ufficio/{imap_folder} (") == 1, log[-3000:]  # logged once per outage
    assert log.count(f"mail ufficio/{imap_folder} is reachable again") == 1, log[-3000:]
    subjects = sorted(r["fields"]["mail_subject"]["value"] for r in _records(office)
                      if r["media_type"] == "message/rfc822")
    assert subjects == ["Arrivato durante il guasto", "Primo", "Secondo, durante IDLE"]
    print(f"IDLE: filed {latency:.2f} s after delivery; stopped in {stopped_in:.2f} s")


def test_a_mail_server_that_never_answers_does_not_hold_up_the_inbox(tmp_path):
    """A server that accepts the connection and then says nothing (timeout: 5 minutes): the
    folder inbox is filed as if there were no mailbox, and the watcher still stops at once."""
    silent = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    threading.Thread(target=lambda: held.append(silent.accept()[0]), daemon=True).start()
    account = {"name": "muto", "host": "127.0.0.1", "port": silent.getsockname()[1], "security": "none",
               "user": "u", "password_env": "ARCHIVIO_TEST_IMAP_PASSWORD", "folders": ["INBOX"]}
    office = _office(tmp_path / "office", account, timeout=300)
    watcher = Watcher(office, ARCHIVIO_CONFIG=str(office / "office.toml"), ARCHIVIO_WORKERS_COUNT="1",
                      ARCHIVIO_TEST_IMAP_PASSWORD="x")
    try:
        wait_for(lambda: held, 30, "the watcher connecting to the silent server", watcher)
        italian_invoice(office / "inbox" / "fattura.pdf", seed=13)
        wait_for(lambda: any(r["filed_at"] for r in _records(office)), 120, "the inbox file filed", watcher)
        code, stopped_in = _stop_timed(watcher)
    finally:
        _kill_if_alive(watcher)
        silent.close()
    assert code == 0 and stopped_in < 15, (code, stopped_in, watcher.output()[-2000:])


def test_a_message_that_cannot_be_filed_stays_new_and_the_loop_goes_on(tmp_path, monkeypatch, caplog):
    """An unexpected error while filing one message is logged once; the watch loop is not stopped
    and the fetching thread is told "not done" (the message stays new on the server)."""
    from pipeline.intake import Intake
    from pipeline.journal import Journal
    from pipeline.mail.poller import MailPoller
    from pipeline.mail.watcher import Fetched, MailWatcher
    from pipeline.quarantine import Quarantine
    from pipeline.store import open_archive

    for name in ("inbox", "processed", "quarantine", "duplicates", "data"):
        (tmp_path / name).mkdir()
    settings = make_settings(tmp_path)
    poller = MailPoller(settings, Intake(settings, open_archive(settings), Journal(settings.journal_path),
                                         Quarantine(settings.paths.quarantine)))
    monkeypatch.setattr(poller, "file", lambda *a: (_ for _ in ()).throw(ValueError("odd header")))
    watcher = MailWatcher(poller)
    account = make_settings(tmp_path, **{"mail.accounts": [{"name": "x", "host": "h", "user": "u",
                                                             "password_env": "HOME"}]}).mail.accounts[0]
    items = [Fetched(account, "INBOX", 7, b"Subject: x\r\n\r\n") for _ in range(2)]
    for item in items:
        watcher._fetched.put(item)
    assert list(watcher.ready()) == []
    assert all(i.answered.is_set() and not i.done for i in items)
    assert caplog.text.count("message 7 not taken (odd header)") == 1
