"""`make run` (manage.py runlocal): starts the stack, serves the gallery, Ctrl-C stops it all."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
        return response.status, response.read().decode()


def _sigint_ignored_and_blocked() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


@pytest.fixture
def runlocal(tmp_path):
    """Start runlocal as `make run` does, on free ports, and stop it with SIGINT afterwards."""
    aws_port, web_port = free_port(), free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "AWS_", "COGNITO_", "PHOTOSITE_", "DYNAMODB_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="photosite.settings",
        DJANGO_DEBUG="true",
        AWS_ENDPOINT_URL=f"http://127.0.0.1:{aws_port}",
        AWS_ACCESS_KEY_ID="local",
        AWS_SECRET_ACCESS_KEY="local",
        PHOTOSITE_DEMO_USERS="true",
    )
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runlocal", f"127.0.0.1:{web_port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        # As a pytest-xdist worker may hand it over: SIGINT ignored and blocked, both inherited
        # across exec. Ctrl-C must stop runlocal all the same.
        preexec_fn=_sigint_ignored_and_blocked,
    )
    yield process, web_port, aws_port
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_until_serving(process, port: int, seconds: int = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"runlocal exited early:\n{process.stdout.read()}")
        if listening(port):
            return
        time.sleep(0.3)
    pytest.fail("runlocal did not serve within the time limit")


def output_when_stopped(process: subprocess.Popen, seconds: int = 30) -> str:
    """Return everything runlocal wrote once it has exited; if it does not, fail with where
    each of its threads is (runlocal prints its stacks on SIGUSR1)."""
    try:
        return process.communicate(timeout=seconds)[0]
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGUSR1)
        time.sleep(2)
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail(f"runlocal did not stop within {seconds} s:\n{process.communicate()[0]}")


def test_runlocal_serves_demo_photos_and_ctrl_c_stops_everything(runlocal):
    process, web_port, aws_port = runlocal
    wait_until_serving(process, web_port)

    status, page = get(f"http://127.0.0.1:{web_port}/")
    assert status == 200
    assert 'alt="海边日落"' in page
    assert get(f"http://127.0.0.1:{web_port}/readyz")[0] == 200

    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
    output = output_when_stopped(process)
    assert "admin@example.com / Admin-pass-2026" in output
    assert f"http://127.0.0.1:{aws_port} (started)" in output
    assert not listening(web_port)
    assert not listening(aws_port)


def test_killing_runlocal_leaves_no_server_behind(runlocal):
    process, web_port, aws_port = runlocal
    wait_until_serving(process, web_port)

    process.terminate()  # SIGTERM to the parent only, as a process manager would send
    process.wait(timeout=30)
    deadline = time.monotonic() + 15
    while listening(web_port) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not listening(web_port)
    assert not listening(aws_port)
