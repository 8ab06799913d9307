"""Presigning a gallery page's 24 image URLs: botocore against core.presign, side by side.

    .venv/bin/python bench/bench_presign.py [--rounds 300]

Both sign the same 24 keys with the same credentials in one process, alternating, so machine
load hits both alike. Also reports how many distinct URLs two renders 60 s apart produce: the
browser can reuse a cached image only when the URL is the same string.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import boto3
from botocore.config import Config

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.presign import Credentials, s3_get_url
from core.storage import url_window

KEYS = [f"derivatives/{index:032x}/grid.jpg" for index in range(24)]
CREDENTIALS = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "token")
REGION = "eu-west-1"
BUCKET = "photosite-prod-photos"
LIFETIME = 300


def botocore_page(client) -> list[str]:
    return [
        client.generate_presigned_url(
            "get_object", Params={"Bucket": BUCKET, "Key": key}, ExpiresIn=LIFETIME
        )
        for key in KEYS
    ]


def stable_page(now: float) -> list[str]:
    window = url_window(LIFETIME)
    return [
        s3_get_url(
            credentials=CREDENTIALS,
            region=REGION,
            bucket=BUCKET,
            key=key,
            window=window,
            now=now,
        )
        for key in KEYS
    ]


def timed(function, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    client = boto3.session.Session().client(
        "s3",
        region_name=REGION,
        aws_access_key_id=CREDENTIALS.access_key,
        aws_secret_access_key=CREDENTIALS.secret_key,
        aws_session_token=CREDENTIALS.token,
        config=Config(signature_version="s3v4", s3={"addressing_style": "virtual"}),
    )
    botocore_page(client)
    stable_page(time.time())
    ours, theirs = [], []
    for _ in range(args.rounds // 10):
        theirs += timed(lambda: botocore_page(client), 10)
        ours += timed(lambda: stable_page(time.time()), 10)
    median_theirs, median_ours = statistics.median(theirs), statistics.median(ours)
    print(f"24 URLs, {len(ours)} rounds each, median ms per page")
    print(f"  botocore generate_presigned_url  {median_theirs:8.3f} ms")
    print(f"  core.presign (stable window)     {median_ours:8.3f} ms")
    print(f"  ratio botocore / stable          {median_theirs / median_ours:8.1f}x")
    start = url_window(LIFETIME).start(time.time())
    same = len(set(stable_page(start + 10)) & set(stable_page(start + 70)))
    first = botocore_page(client)
    time.sleep(1.1)
    shared = len(set(first) & set(botocore_page(client)))
    print("URLs shared by two renders of one page (of 24):")
    print(f"  botocore, 1.1 s apart            {shared:8d}")
    print(f"  stable, 60 s apart (one window)  {same:8d}")


if __name__ == "__main__":
    main()
