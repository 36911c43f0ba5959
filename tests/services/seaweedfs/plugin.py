"""Fixtures for tests against the real S3 server (SeaweedFS started by ``service.sh start``).

Test modules import the fixtures they use from here. Each test gets its own key prefix inside
a bucket made for the session, so tests never see each other's objects; the buckets live as
long as the server's data, which ``service.sh stop`` throws away (locked objects cannot be
deleted, by design).
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

from testkit import make_settings, need_service
from pipeline.config import Settings

HOW = ('start it with `eval "$(tests/services/seaweedfs/service.sh start)"` (scripts/test starts and stops it); '
       "stop it with `tests/services/seaweedfs/service.sh stop`")


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    access_key: str
    secret_key: str

    def client(self, **config):
        """A plain boto3 client: the test's hands behind the store's back."""
        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=self.access_key,
                            aws_secret_access_key=self.secret_key, region_name="us-east-1",
                            config=Config(s3={"addressing_style": "path"}, signature_version="s3v4", **config))

    def store_overrides(self, bucket: str, prefix: str = "", **more) -> dict:
        return {"store.backend": "s3", "store.endpoint_url": self.endpoint, "store.bucket": bucket,
                "store.prefix": prefix, "store.access_key_id": self.access_key,
                "store.secret_access_key": self.secret_key, "store.addressing_style": "path",
                "store.max_attempts": 2, "store.connect_timeout": 5.0, "store.read_timeout": 30.0, **more}

    def settings(self, root: Path, bucket: str, prefix: str = "", **more) -> Settings:
        return make_settings(root, **self.store_overrides(bucket, prefix, **more))


@pytest.fixture(scope="session")
def s3_server() -> S3Server:
    endpoint = need_service("SeaweedFS (S3)", "ARCHIVIO_TEST_S3_ENDPOINT", HOW)
    return S3Server(endpoint, os.environ["ARCHIVIO_TEST_S3_ACCESS_KEY"], os.environ["ARCHIVIO_TEST_S3_SECRET_KEY"])


@pytest.fixture(scope="session")
def s3_client(s3_server: S3Server):
    return s3_server.client()


def new_bucket(client, *, object_lock: bool) -> str:
    name = f"archivio-{'locked' if object_lock else 'plain'}-{uuid.uuid4().hex[:10]}"
    client.create_bucket(Bucket=name, **({"ObjectLockEnabledForBucket": True} if object_lock else {}))
    return name


@pytest.fixture(scope="session")
def locked_bucket(s3_client) -> str:
    """A bucket with Object Lock (and so versioning), as production should have."""
    return new_bucket(s3_client, object_lock=True)


@pytest.fixture
def s3_prefix() -> str:
    return f"t-{uuid.uuid4().hex[:12]}/"
