"""A document whose message the broker lost is sent again by the watcher, and filed once
(pipeline/queue/sender.py, ``queue.resend_after``).

kombu's Redis transport pops a message (BRPOP) and records it as unacknowledged in a second round
trip: a message a worker pops the instant Redis dies is gone from the broker, however Redis
persists (the distributed suite's broker restart lost one that way). The watcher keeps every
document it sent as running in its journal until the store has its record, and sends it again.

Real programs and services: `archivio watch` and one `archivio worker` on a Redis of the test's
own, SeaweedFS and Elasticsearch. The message is taken off the broker's queue by hand, as the dying
worker's BRPOP took it, before any worker runs.
"""

from __future__ import annotations

import hashlib

import pytest

import docgen
from index_fixtures import es_url
from test_worker_broker_loss import cluster_on_own_broker, wait_for

from pipeline.config import load_settings
from pipeline.index import open_index
from pipeline.journal import Journal
from pipeline.store import open_archive

pytest.importorskip("celery")

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

RESEND_AFTER = 5  # seconds; the watcher looks for documents to send again every 30 s


def test_a_message_the_broker_lost_is_sent_again_and_the_document_filed_once(
        redis_binary, s3_server, locked_bucket, tmp_path):
    import redis

    broker, running = cluster_on_own_broker(redis_binary, s3_server, locked_bucket, tmp_path, name="resend",
                                            es_url=es_url(), ARCHIVIO_QUEUE_RESEND_AFTER=str(RESEND_AFTER))
    env = running.env
    client = redis.Redis.from_url(broker.url)
    try:
        running.start_watch()
        doc = running.office / "inbox" / "fattura.pdf"
        docgen.italian_invoice(doc, seed=11)
        digest = hashlib.sha256(doc.read_bytes()).hexdigest()
        wait_for(lambda: client.llen("archivio") == 1, 60, "the watcher to send the document",
                 lambda: running.log("watch"))
        assert client.rpop("archivio") is not None  # what a worker's BRPOP takes as Redis dies
        assert client.llen("archivio") == 0 and client.hlen("unacked") == 0

        running.start_worker("w1")
        wait_for(lambda: " ready." in running.log("w1"), 60, "the worker to start", lambda: running.log("w1"))
        settings = load_settings(env=env)
        archive = open_archive(settings)
        wait_for(lambda: archive.has_record(digest), 30 + RESEND_AFTER + 60, "the document to be sent again and filed",
                 lambda: running.log("watch") + running.log("w1"))
        assert running.log("watch").count("fattura.pdf not filed after") == 1
        journal = Journal(settings.journal_path)
        wait_for(lambda: journal.counts()["filed"] == 1, 30, "the watcher to see it filed", lambda: running.log("watch"))
        assert list(archive.record_ids()) == [digest]
        # The document's outcome is read by no one: not stored, so that a worker that filed its
        # document does not wait on the result store while Redis is away.
        wait_for(lambda: "succeeded in" in running.log("w1"), 30, "the worker to log the task done",
                 lambda: running.log("w1"))
        assert client.keys("celery-task-meta-*") == []
    finally:
        running.stop()
        client.close()
        broker.kill()
        index = open_index(load_settings(env=env))
        index.client.indices.delete(index=f"{index.alias}-*", ignore_unavailable=True, allow_no_indices=True)
        index.client.options(ignore_status=404).indices.delete_index_template(name=index.alias)
