"""The local stack the benchmarks run the site on, each part in its own process on loopback.

S3 and Cognito are a moto server; DynamoDB is Amazon DynamoDB Local (`dynamodb="local"`, the
default, reached through AWS_ENDPOINT_URL_DYNAMODB exactly as a deployment points the site at
another endpoint) or the same moto server (`dynamodb="moto"`); the site is gunicorn with gthread
workers, as deploy/gunicorn.conf.py runs it, but without worker recycling so memory can be
followed over a whole run. Everything a `Site` starts it stops, on success or failure.

moto answers DynamoDB in Python (a Query walks the whole index) and costs tens of milliseconds of
CPU per gallery page, so a benchmark on moto alone measures the emulator; DynamoDB Local is
Amazon's own engine in a JVM.

Shared by bench/soak.py, bench/bench_page_cpu.py and bench/bench_browser_cache.py.
"""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
PASSWORD = "Bench-pass-42"  # noqa: S105  (throwaway users on the local emulator)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
DYNAMODB_BACKENDS = ("local", "moto")

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def free_port() -> int:
    """Return a loopback port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 90) -> None:
    """Wait until something answers HTTP at `url`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def load_average() -> str:
    """Return the machine's 1-minute load average and core count, for the record."""
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def cpu_seconds(pid: int) -> float:
    """Return the user + system CPU time a process has used (all its threads), in seconds."""
    return stat_cpu_seconds(Path(f"/proc/{pid}/stat").read_text())


def stat_cpu_seconds(stat: str) -> float:
    """Return utime + stime of a /proc/<pid>/stat line, in seconds."""
    # The command name is in parentheses and may hold spaces and parentheses itself: the
    # fields start after the last ")". utime and stime are fields 14 and 15 of the line.
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_mib(pid: int) -> float:
    """Return a process's resident memory in MiB (0 when it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return 0.0
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else 0.0


def jpeg(seed: int, size: tuple[int, int] = (640, 480)) -> bytes:
    """Return a JPEG of noise (a photo-like size, different for each seed)."""
    from PIL import Image

    image = Image.effect_noise(size, 30 + seed % 20).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


class Site:
    """moto + (DynamoDB Local or moto) + gunicorn serving photosite on free loopback ports."""

    def __init__(
        self,
        *,
        dynamodb: str = "local",
        workers: int = 2,
        threads: int = 4,
        settings_module: str = "photosite.settings",
        extra_env: dict[str, str] | None = None,
    ) -> None:
        if dynamodb not in DYNAMODB_BACKENDS:
            raise ValueError(f"dynamodb must be one of {DYNAMODB_BACKENDS}")
        self.dynamodb = dynamodb
        self.workers = workers
        self.threads = threads
        self.aws_port, self.web_port = free_port(), free_port()
        self.endpoint = f"http://{HOST}:{self.aws_port}"
        self.base = f"http://{HOST}:{self.web_port}"
        self.bucket = "photosite-bench"
        self.env = {
            **os.environ,
            "DJANGO_DEBUG": "true",
            "DJANGO_SETTINGS_MODULE": settings_module,
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "bench")]),
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_SESSION_TOKEN": "",
            "AWS_REGION": "us-east-1",
            "DYNAMODB_TABLE_PREFIX": "bench-",
            "AWS_STORAGE_BUCKET_NAME": self.bucket,
            "PHOTOSITE_SITE_ORIGIN": self.base,
            # One user makes every comment and many sign-ins: lift the per-user limits.
            "PHOTOSITE_COMMENT_RATE_LIMIT": "1000000",
            "PHOTOSITE_SIGNIN_IP_LIMIT": "1000000",
            **(extra_env or {}),
        }
        self.env.pop("AWS_ENDPOINT_URL_DYNAMODB", None)
        self._procs: list[subprocess.Popen] = []
        self._dynamodb_local = None
        self.gunicorn: subprocess.Popen | None = None
        self.stack = None

    # -- lifecycle ---------------------------------------------------------------------------

    def __enter__(self) -> Site:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        """Start every process, bootstrap the resources, start gunicorn and wait for it."""
        (ROOT / "var").mkdir(exist_ok=True)
        self._procs.append(
            subprocess.Popen(
                [str(BIN / "moto_server"), "-H", HOST, "-p", str(self.aws_port)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=self.env,
            )
        )
        if self.dynamodb == "local":
            from core.dynamodb_local import DynamoDBLocal

            self._dynamodb_local = DynamoDBLocal().launch()
        wait_for(self.endpoint)
        if self._dynamodb_local is not None:
            self._dynamodb_local.wait_until_ready()
            self.env["AWS_ENDPOINT_URL_DYNAMODB"] = self._dynamodb_local.endpoint_url
        self._bootstrap()
        self.gunicorn = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "photosite.wsgi:application",
                "--bind",
                f"{HOST}:{self.web_port}",
                "--worker-class",
                "gthread",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
                "--keep-alive",
                "75",
                "--timeout",
                "60",
                "--graceful-timeout",
                "10",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        self._procs.append(self.gunicorn)
        wait_for(f"{self.base}/healthz")
        # Workers fork after the master answers nothing: wait until every one is up.
        deadline = time.monotonic() + 60
        while len(self.worker_pids()) < self.workers and time.monotonic() < deadline:
            time.sleep(0.2)

    def _bootstrap(self) -> None:
        # This process talks to the same stack (sign-up, seeding, object headers).
        os.environ.update(self.env)
        if "AWS_ENDPOINT_URL_DYNAMODB" not in self.env:
            os.environ.pop("AWS_ENDPOINT_URL_DYNAMODB", None)
        from core import aws
        from photosite.bootstrap import bootstrap_aws

        aws.reset()
        self.stack = bootstrap_aws(bucket=self.bucket, site_origin=self.base)
        self.env.update(self.stack.as_env())

    def stop(self) -> None:
        """Stop everything this object started (gunicorn first)."""
        for proc in reversed(self._procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        self._procs.clear()
        if self._dynamodb_local is not None:
            self._dynamodb_local.stop()
            self._dynamodb_local = None

    def worker_pids(self) -> list[int]:
        """Return the pids of the gunicorn workers."""
        if self.gunicorn is None:
            return []
        listed = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.gunicorn.pid)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        return sorted(int(pid) for pid in listed.split())

    def workers_cpu(self) -> float:
        """Return the CPU seconds used so far by all gunicorn workers together."""
        return sum(cpu_seconds(pid) for pid in self.worker_pids())

    # -- users and data ----------------------------------------------------------------------

    def user_token(self, email: str) -> str:
        """Sign a user up in the emulated user pool, confirm them, return an access token."""
        from core import aws

        idp = aws.client("cognito-idp")
        idp.sign_up(
            ClientId=self.stack.app_client_id,
            Username=email,
            Password=PASSWORD,
            UserAttributes=[
                {"Name": "email", "Value": email},
                {"Name": "name", "Value": "Bench 测试"},
            ],
        )
        idp.admin_confirm_sign_up(UserPoolId=self.stack.user_pool_id, Username=email)
        return idp.initiate_auth(
            ClientId=self.stack.app_client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD},
        )["AuthenticationResult"]["AccessToken"]

    def signed_in_cookies(self, email: str) -> dict[str, str]:
        """Sign in through the site's sign-in form; return the browser's cookies."""
        with requests.Session() as session:
            session.get(f"{self.base}/accounts/login/", timeout=30).raise_for_status()
            answer = session.post(
                f"{self.base}/accounts/login/",
                data={
                    "email": email,
                    "password": PASSWORD,
                    "csrfmiddlewaretoken": session.cookies["csrftoken"],
                },
                headers={"Referer": f"{self.base}/accounts/login/"},
                timeout=30,
            )
            answer.raise_for_status()
            me = session.get(f"{self.base}/mine/", timeout=30, allow_redirects=False)
            if me.status_code != 200:
                raise RuntimeError(f"sign-in did not stick: /mine/ answered {me.status_code}")
            return session.cookies.get_dict()

    def seed_photos(self, token: str, count: int, *, size: tuple[int, int] = (640, 480)) -> list:
        """Upload `count` photos through the API (the site makes the derivatives)."""
        ids = []
        with requests.Session() as session:
            for i in range(count):
                created = session.post(
                    f"{self.base}/api/photos",
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=60,
                    data={"name": f"bench harbour 港口 {i}"},
                    files={"file": ("p.jpg", jpeg(i, size), "image/jpeg")},
                )
                created.raise_for_status()
                ids.append(created.json()["id"])
        return ids
