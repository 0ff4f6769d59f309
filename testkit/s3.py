"""A real S3-speaking server for the object-storage tests: moto in server mode, in its own process on a
free loopback port, started once per test session (so `make test` needs nothing else running)."""

import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass

import pytest

ACCESS_KEY, SECRET_KEY, REGION = "motcua-test-key", "motcua-test-secret", "us-east-1"


@dataclass(frozen=True)
class S3Server:
    endpoint: str

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )


@dataclass(frozen=True)
class Bucket:
    server: S3Server
    name: str
    prefix: str
    url: str  # the STORAGE_URL that points at it

    def keys(self) -> list[str]:
        listed = self.server.client().list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.server.client().get_object(Bucket=self.name, Key=key)["Body"].read()

    def public_url(self, key: str) -> str:
        return f"{self.server.endpoint}/{self.name}/{key}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603  (our own interpreter, moto's server module)
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # a loaded 2-core machine imports moto slowly
        while True:
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2).close()  # noqa: S310
                break
            except OSError:  # URLError, refused, reset, timed out: not up yet
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "moto's S3 server did not start (pip install 'moto[server]')"
                    ) from None
                time.sleep(0.2)
        yield S3Server(endpoint)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def storage_url(server: S3Server, bucket: str, prefix: str = "media") -> str:
    return f"s3://{bucket}/{prefix}?endpoint_url={server.endpoint}&region_name={REGION}&addressing_style=path"


@pytest.fixture
def object_storage(s3_server, settings) -> Bucket:
    """The default storage is a fresh private bucket on the moto server for this test."""
    from motcua.storage import storage_from_url

    name = f"motcua-{uuid.uuid4().hex[:16]}"
    s3_server.client().create_bucket(Bucket=name)
    url = storage_url(s3_server, name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_from_url(url, access_key=ACCESS_KEY, secret_key=SECRET_KEY),
    }
    return Bucket(s3_server, name, "media", url)
