"""core.dynamodb_local: the server listens on loopback only and never outlives its owner."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOOPBACK_V4 = "0100007F"  # 127.0.0.1 as /proc/net/tcp writes it
LISTEN = "0A"


def listening_addresses(port: int) -> list[str]:
    """Return the local addresses (hex, as in /proc/net/tcp*) listening on the port."""
    addresses = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, _, hex_port = fields[1].partition(":")
            if fields[3] == LISTEN and int(hex_port, 16) == port:
                addresses.append(address)
    return addresses


@pytest.mark.dynamodb_local
@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc/net/tcp")
def test_it_listens_on_127_0_0_1_only(dynamodb_local):
    addresses = listening_addresses(dynamodb_local.port)

    assert addresses, "nothing listens on the DynamoDB Local port"
    # IPv4 127.0.0.1, or the same address mapped into IPv6 (::ffff:127.0.0.1); never 0.0.0.0/::
    assert all(address.endswith(LOOPBACK_V4) for address in addresses), addresses


def alive(pid: int) -> bool:
    """Tell whether the process runs (a zombie waiting to be reaped has exited)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


@pytest.mark.dynamodb_local
def test_it_exits_when_the_process_that_started_it_is_killed(dynamodb_local):
    owner = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                """
                import time
                from core.dynamodb_local import DynamoDBLocal
                server = DynamoDBLocal().start()
                print(server._process.pid, flush=True)
                time.sleep(120)
                """
            ),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    server_pid = None
    try:
        server_pid = int(owner.stdout.readline())
        assert alive(server_pid)

        owner.send_signal(signal.SIGKILL)
        owner.wait(timeout=30)
        deadline = time.monotonic() + 30
        while alive(server_pid) and time.monotonic() < deadline:
            time.sleep(0.2)

        assert not alive(server_pid), "DynamoDB Local outlived the process that started it"
    finally:
        owner.kill()
        owner.wait(timeout=30)
        if server_pid is not None and alive(server_pid):
            os.killpg(server_pid, signal.SIGKILL)  # a failing run leaves nothing behind either
