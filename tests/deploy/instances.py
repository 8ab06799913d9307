"""Run several gunicorn app processes on loopback against one local AWS stack.

Each process is its own instance behind an imaginary load balancer: same settings, same
emulator, nothing shared in memory. `WebInstances.get` sends a request the way an ALB would
(Host header of the site, X-Forwarded-For and X-Forwarded-Proto) to the instance you name, and
one cookie jar serves them all, as one browser would — so a test can sign in through one
instance and continue on another.
"""

from __future__ import annotations

import http.cookiejar
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SITE_HOST = "photos.example.test"
# A process that outlives its test (a crashed run) still ends on its own after this long.
MAX_LIFETIME_SECONDS = 300


@dataclass(frozen=True)
class Response:
    """What an instance answered."""

    status: int
    body: str
    headers: Mapping[str, str]
    instance: int


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class WebInstances:
    """Start N gunicorn instances with one environment; stop them on exit."""

    def __init__(self, count: int, env: Mapping[str, str], log_dir: Path) -> None:
        self.count = count
        self.env = dict(env)
        self.log_dir = log_dir
        self.ports: list[int] = []
        self._processes: list[subprocess.Popen] = []
        self._logs: list = []
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def __enter__(self) -> WebInstances:
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        timeout = shutil.which("timeout")
        try:
            for number in range(self.count):
                port = _free_port()
                env = {
                    **self.env,
                    "GUNICORN_BIND": f"127.0.0.1:{port}",
                    "WEB_CONCURRENCY": "1",
                    "GUNICORN_THREADS": "2",
                }
                command = [gunicorn, "--config", "deploy/gunicorn.conf.py"]
                if timeout:
                    command = [timeout, str(MAX_LIFETIME_SECONDS), *command]
                log = (self.log_dir / f"instance-{number}.log").open("w")
                self._logs.append(log)
                self._processes.append(
                    subprocess.Popen(
                        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
                    )
                )
                self.ports.append(port)
            for number in range(self.count):
                self._wait_until_healthy(number)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        for process in self._processes:
            process.terminate()
        for process in self._processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in self._logs:
            log.close()

    def get(
        self,
        path: str,
        *,
        instance: int,
        client_ip: str = "203.0.113.9",
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """Send GET path to one instance as the load balancer would forward it."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.ports[instance]}{path}",
            headers={
                "Host": SITE_HOST,
                "X-Forwarded-For": client_ip,
                "X-Forwarded-Proto": "https",
                **(headers or {}),
            },
        )
        try:
            with self._opener.open(request, timeout=15) as answer:
                return Response(answer.status, answer.read().decode(), answer.headers, instance)
        except urllib.error.HTTPError as error:
            return Response(error.code, error.read().decode(), error.headers, instance)

    def log(self, instance: int) -> str:
        """Return what an instance has written so far (for failure messages)."""
        return (self.log_dir / f"instance-{instance}.log").read_text()

    def _wait_until_healthy(self, number: int) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._processes[number].poll() is not None:
                raise RuntimeError(f"instance {number} exited:\n{self.log(number)}")
            try:
                if self.get("/healthz", instance=number).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"instance {number} never became healthy:\n{self.log(number)}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def instance_env(stack_env: Mapping[str, str]) -> dict[str, str]:
    """Return the environment of every instance: local mode against the test's AWS stack."""
    env = dict(os.environ)
    env.update(stack_env)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "photosite.settings",
            "DJANGO_DEBUG": "true",  # production settings refuse the emulator's endpoint
            "DJANGO_ALLOWED_HOSTS": SITE_HOST,
            "PHOTOSITE_TRUSTED_PROXY_COUNT": "1",
        }
    )
    return env
