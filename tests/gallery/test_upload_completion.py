"""Completing a browser upload: idempotent, and safe when completions race.

A double click or a client retry sends `complete` more than once, sometimes at the same moment.
Whatever the interleaving, the upload is published exactly once, each caller gets that photo
(or 409 while another completion holds the claim), and no caller deletes what the published
photo uses. Real threads against the local stack; DynamoDB Local runs the same race in
tests/data/test_upload_completion_race.py.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from gallery import services, storage
from gallery.errors import Conflict
from gallery.models import STATUS_PROCESSING, Photo
from gallery.services import uploads
from tests.accounts.users import sign_in

from .conftest import browser_upload_arrived, jpeg, published_once, race

CALLERS = 8


@dataclass(frozen=True)
class Uploaded:
    photo: Photo
    data: bytes


@pytest.fixture
def uploaded(aws_stack):
    """A browser upload whose file has arrived in S3, ready to be completed by Alice."""
    data = jpeg(900, 700)
    ticket = browser_upload_arrived(data)
    return Uploaded(photo=ticket.photo, data=data)


def test_simultaneous_completions_through_the_page_publish_once(uploaded, alice):
    url = f"/upload/{uploaded.photo.photo_id}/complete/"
    clients = [sign_in(Client(), alice) for _ in range(CALLERS)]

    answers = race(CALLERS, lambda n: clients[n].post(url))

    statuses = sorted(answer.status_code for answer in answers)
    assert set(statuses) <= {200, 409}, statuses
    assert 200 in statuses
    assert {a.json()["photo_id"] for a in answers if a.status_code == 200} == {
        uploaded.photo.photo_id
    }
    for answer in answers:
        if answer.status_code == 409:
            assert answer.json()["code"] == "upload_in_progress"
    published_once(uploaded.photo.photo_id, uploaded.data)


def test_a_retry_after_success_gets_the_same_photo(uploaded, alice):
    client = sign_in(Client(), alice)
    url = f"/upload/{uploaded.photo.photo_id}/complete/"

    first = client.post(url)
    again = client.post(url)

    assert (first.status_code, again.status_code) == (200, 200)
    assert first.json() == again.json()
    assert first.json()["photo_id"] == uploaded.photo.photo_id
    published_once(uploaded.photo.photo_id, uploaded.data)


def test_an_upload_another_completion_is_working_on_is_409_not_500(uploaded):
    live = datetime.now(UTC) + timedelta(seconds=60)
    Photo.get(uploaded.photo.photo_id).update(
        actions=[
            Photo.status.set(STATUS_PROCESSING),
            Photo.claim_token.set("someone-else"),
            Photo.claim_expires_at.set(live),
        ]
    )

    with pytest.raises(Conflict) as caught:
        services.upload_complete(photo_id=uploaded.photo.photo_id, owner_sub="sub-alice")

    assert (caught.value.status, caught.value.code) == (409, "upload_in_progress")
    assert Photo.get(uploaded.photo.photo_id).claim_token == "someone-else"


def test_a_claim_whose_holder_crashed_is_taken_over_after_it_expires(uploaded):
    dead = datetime.now(UTC) - timedelta(seconds=1)
    Photo.get(uploaded.photo.photo_id).update(
        actions=[
            Photo.status.set(STATUS_PROCESSING),
            Photo.claim_token.set("crashed"),
            Photo.claim_expires_at.set(dead),
        ]
    )

    photo = services.upload_complete(photo_id=uploaded.photo.photo_id, owner_sub="sub-alice")

    assert photo.photo_id == uploaded.photo.photo_id
    published_once(photo.photo_id, uploaded.data)


def test_a_slow_claimant_overtaken_by_a_takeover_deletes_nothing_of_the_winner(
    uploaded, monkeypatch
):
    """The slow completion pauses inside its read of the file while its claim expires and a
    second completion takes over, publishes and removes the upload; then the slow one goes on."""
    real_read = storage.object_read
    paused, resume = threading.Event(), threading.Event()
    reads = []

    def read_pausing_the_first_caller(key, **kwargs):
        reads.append(key)
        if len(reads) == 1:
            paused.set()
            assert resume.wait(timeout=60)
        return real_read(key, **kwargs)

    monkeypatch.setattr(storage, "object_read", read_pausing_the_first_caller)
    photo_id = uploaded.photo.photo_id
    with ThreadPoolExecutor(max_workers=1) as pool:
        slow = pool.submit(services.upload_complete, photo_id=photo_id, owner_sub="sub-alice")
        assert paused.wait(timeout=60)
        later = datetime.now(UTC) + timedelta(seconds=uploads.CLAIM_SECONDS + 1)
        taker = services.upload_complete(photo_id=photo_id, owner_sub="sub-alice", now=later)
        resume.set()
        slow_result = slow.result(timeout=60)

    assert taker.photo_id == slow_result.photo_id == photo_id
    published_once(photo_id, uploaded.data)
