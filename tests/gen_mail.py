"""Mail messages made by the tests: an ordinary mail with attachments, and a PEC message shaped
as Italian providers send them (multipart/signed around the provider's text, the original
message as ``postacert.eml`` and ``daticert.xml``, plus ``smime.p7s``)."""

from __future__ import annotations

import uuid
from email.message import EmailMessage
from email.utils import format_datetime

import datetime as dt


def ordinary(*, subject: str, attachments: list[tuple[str, bytes, str]] = (), sender="fornitore@example.it",
             body: str = "Buongiorno, in allegato la fattura.") -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "amministrazione@example.it"
    message["Subject"] = subject
    message["Date"] = format_datetime(dt.datetime(2024, 3, 15, 10, 0, tzinfo=dt.timezone.utc))
    message["Message-ID"] = f"<{uuid.uuid4().hex}@example.it>"
    message.set_content(body)
    for name, data, mime in attachments:
        maintype, subtype = mime.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


DATICERT = """<?xml version="1.0" encoding="UTF-8"?>
<postacert tipo="posta-certificata" errore="nessuno">
  <intestazione>
    <mittente>sdi01@pec.fatturapa.it</mittente>
    <destinatari tipo="certificato">amministrazione@pec.example.it</destinatari>
    <risposte>sdi01@pec.fatturapa.it</risposte>
    <oggetto>Invio File 123456789</oggetto>
  </intestazione>
  <dati>
    <gestore-emittente>ARUBA PEC S.p.A.</gestore-emittente>
    <data zona="+0100"><giorno>15/03/2024</giorno><ora>10:00:00</ora></data>
    <identificativo>opec210312.20240315100000.12345.67.1.8@pec.aruba.it</identificativo>
    <msgid>&lt;{msgid}&gt;</msgid>
  </dati>
</postacert>
"""


def pec(*, attachments: list[tuple[str, bytes, str]]) -> bytes:
    original = EmailMessage()
    msgid = f"{uuid.uuid4().hex}@pec.fatturapa.it"
    original["From"] = "sdi01@pec.fatturapa.it"
    original["To"] = "amministrazione@pec.example.it"
    original["Subject"] = "Invio File 123456789"
    original["Message-ID"] = f"<{msgid}>"
    original.set_content("Il file fattura è in allegato.")
    for name, data, mime in attachments:
        maintype, subtype = mime.split("/")
        original.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)

    inner = EmailMessage()
    inner.set_content("Messaggio di posta certificata\n\nIl giorno 15/03/2024 alle ore 10:00:00 (+0100) il "
                      "messaggio \"Invio File 123456789\" è stato inviato da \"sdi01@pec.fatturapa.it\".")
    inner.add_attachment(original, filename="postacert.eml")
    inner.add_attachment(DATICERT.format(msgid=msgid).encode(), maintype="application", subtype="xml",
                         filename="daticert.xml")

    envelope = EmailMessage()
    envelope["From"] = "Per conto di: sdi01@pec.fatturapa.it <posta-certificata@pec.aruba.it>"
    envelope["To"] = "amministrazione@pec.example.it"
    envelope["Subject"] = "POSTA CERTIFICATA: Invio File 123456789"
    envelope["Date"] = format_datetime(dt.datetime(2024, 3, 15, 9, 0, tzinfo=dt.timezone.utc))
    envelope["Message-ID"] = f"<opec.{uuid.uuid4().hex}@pec.aruba.it>"
    envelope["X-Trasporto"] = "posta-certificata"
    envelope.make_mixed()
    envelope.attach(inner)
    envelope.add_attachment(b"0\x82\x01\x00fake-provider-signature", maintype="application", subtype="pkcs7-signature",
                            filename="smime.p7s")
    return envelope.as_bytes()
