"""django-storages on the shared S3 client, with URLs that stay the same for a window."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import requests
from django.core.files.base import ContentFile

from core import aws
from core.storage import S3Storage, url_window

pytestmark = pytest.mark.aws


@pytest.fixture
def storage(aws_stack, settings):
    return S3Storage(bucket_name=settings.AWS_STORAGE_BUCKET_NAME, querystring_expire=300)


def test_files_saved_and_read_through_the_storage_go_through_the_shared_client(storage):
    calls = []
    aws.client("s3").meta.events.register("before-call.s3", lambda **kw: calls.append(kw))
    storage.save("derivatives/p1/grid.jpg", ContentFile(b"jpeg bytes"))
    with storage.open("derivatives/p1/grid.jpg") as stored:
        assert stored.read() == b"jpeg bytes"
    assert len(calls) >= 2


def test_each_thread_gets_its_own_resource_on_the_one_client(storage, monkeypatch):
    sessions = []
    real = boto3.session.Session.__init__

    def counting(self, *args, **kwargs):
        sessions.append(threading.get_ident())
        real(self, *args, **kwargs)

    storage.connection  # noqa: B018  (the first thread's resource; makes the resource class)
    monkeypatch.setattr(boto3.session.Session, "__init__", counting)
    seen = []

    def worker():
        seen.append(storage.connection)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sessions == []  # no new boto3 Session (and credential chain) per thread
    assert len({id(connection) for connection in seen}) == 4
    assert all(connection.meta.client is aws.client("s3") for connection in seen)


def test_urls_of_one_object_are_equal_within_a_window_and_open_the_object(storage, monkeypatch):
    storage.save("derivatives/p2/grid.jpg", ContentFile(b"grid"))
    start = url_window(300).start(1_800_000_000)
    monkeypatch.setattr("core.storage.time.time", lambda: start + 5)
    first = storage.url("derivatives/p2/grid.jpg")
    monkeypatch.setattr("core.storage.time.time", lambda: start + 200)
    assert storage.url("derivatives/p2/grid.jpg") == first
    monkeypatch.setattr("core.storage.time.time", lambda: start + url_window(300).window)
    assert storage.url("derivatives/p2/grid.jpg") != first
    assert requests.get(first, timeout=5).content == b"grid"


def test_many_urls_at_once_are_each_objects_own_url(storage, monkeypatch):
    names = ["derivatives/p3/grid.jpg", "derivatives/p4/grid.jpg", "originals/u 1/照片.jpg"]
    for name in names:
        storage.save(name, ContentFile(name.encode()))
    monkeypatch.setattr("core.storage.time.time", lambda: 1_800_000_100.0)

    urls = storage.urls(names, expire=120)

    assert urls == [storage.url(name, expire=120) for name in names]
    assert len(set(urls)) == 3
    assert [requests.get(url, timeout=5).content for url in urls] == [n.encode() for n in names]


def test_a_short_lived_url_never_outlives_its_expiry(storage, monkeypatch):
    now = 1_800_000_123.0
    monkeypatch.setattr("core.storage.time.time", lambda: now)
    query = parse_qs(urlsplit(storage.url("k.jpg", expire=60)).query)
    signed = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    ends = signed.timestamp() + int(query["X-Amz-Expires"][0])
    assert now + url_window(60).shortest_validity <= ends <= now + 60


def test_response_headers_are_signed_into_the_url(storage):
    url = storage.url("k.jpg", parameters={"ResponseContentDisposition": "attachment"})
    assert parse_qs(urlsplit(url).query)["response-content-disposition"] == ["attachment"]


def test_an_s3_only_endpoint_override_moves_urls_and_files_alike(storage, monkeypatch):
    endpoint = aws.settings().endpoint_url
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", endpoint.replace("127.0.0.1", "localhost"))
    aws.reset()
    try:
        assert urlsplit(storage.url("k.jpg")).hostname == "localhost"
        assert urlsplit(storage.connection.meta.client.meta.endpoint_url).hostname == "localhost"
    finally:
        monkeypatch.undo()
        aws.reset()
