"""The clerk's case on the production store: a signed multi-invoice FatturaPA with an attachment
dropped into the watched inbox lands in a locked S3 bucket (SeaweedFS) with its parts, its
readable copy and its original untouched; a later SdI receipt links to it."""

from __future__ import annotations

import hashlib
import threading

import docgen
from gen_fatturapa import Body, fattura, make_signer, sdi_message, sign
from pipeline.index import SearchQuery, open_index
from pipeline.service import StopFlag, run_watch, wait_until
from pipeline.store import open_archive
from pipeline.store.archive import original_key, record_key


def test_a_signed_einvoice_dropped_in_the_inbox_is_filed_to_s3_with_its_parts(s3_server, locked_bucket, s3_prefix,
                                                                            s3_client, office):
    settings = s3_server.settings(office, locked_bucket, s3_prefix, **{"workers.count": 1})
    attachment = docgen.italian_invoice(office / "ordine.pdf", seed=21).path.read_bytes()
    envelope = sign(fattura([Body(number="FT-9"), Body(number="FT-10", attachments=[("ordine.pdf", attachment)])]),
                    make_signer())
    sha = hashlib.sha256(envelope).hexdigest()
    filed: list[str] = []
    stop = StopFlag()
    session = threading.Thread(target=run_watch, args=(settings,), kwargs={
        "stop": stop, "on_intake": lambda result: None,
        "on_done": lambda done: filed.append(f"{done.outcome} {done.job.filename}")})
    session.start()
    try:
        (office / "inbox" / "IT01234567890_abc12.xml.p7m").write_bytes(envelope)
        assert wait_until(lambda: len(filed) >= 2, timeout=120), f"not filed in time: {filed}"
        (office / "inbox" / "IT01234567890_abc12_RC_001.xml").write_bytes(
            sdi_message("RicevutaConsegna", file_name="IT01234567890_abc12.xml.p7m"))
        assert wait_until(lambda: len(filed) >= 3, timeout=60), f"receipt not filed in time: {filed}"
    finally:
        stop.event.set()
        session.join(60)
    assert all(line.startswith("filed") for line in filed), filed

    stored = s3_client.get_object(Bucket=locked_bucket, Key=s3_prefix + original_key(sha))["Body"].read()
    assert stored == envelope
    archive = open_archive(settings)
    record = archive.get_record(sha)
    assert record.fields["signature"].value == "valid" and record.fields["number"].value == "FT-9"
    second = archive.get_record(f"{sha}-2")
    assert second.fields["number"].value == "FT-10" and second.parent.id == sha
    s3_client.head_object(Bucket=locked_bucket, Key=s3_prefix + record_key(f"{sha}-2"))
    copy = s3_client.get_object(Bucket=locked_bucket, Key=s3_prefix + record.archive_copy.key)["Body"].read()
    assert hashlib.sha256(copy).hexdigest() == record.archive_copy.sha256 and b"FT-10" in copy
    # The rendering is locked as long as the original (S3 Object Lock, set at filing).
    kept = s3_client.get_object_retention(Bucket=locked_bucket, Key=s3_prefix + original_key(sha))["Retention"]
    assert s3_client.get_object_retention(Bucket=locked_bucket,
                                          Key=s3_prefix + record.archive_copy.key)["Retention"] == kept
    attached_sha = hashlib.sha256(attachment).hexdigest()
    assert attached_sha in record.parts
    assert archive.get_record(attached_sha).parent.id == sha
    receipts = [r for r in archive.iter_records() if r.source.filename.endswith("_RC_001.xml")]
    assert [r.parent.id for r in receipts] == [sha]

    index = open_index(settings)
    try:
        hits = index.search(SearchQuery(text="FT-10")).hits
        assert hits and hits[0].id == f"{sha}-2"
    finally:
        index.close()
