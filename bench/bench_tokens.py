"""Compare per-token verification time of accounts.tokens with aws-jwt-verify on the same tokens.

Run from the repository root:

    .venv/bin/python bench/bench_tokens.py [--batches B] [--batch-size N]

It generates an RSA key and Cognito-shaped ID and access tokens, serves the JWKS from a
throw-away http.server on 127.0.0.1 (so our verifier loads it through its real fetch path) and
starts ``bench/jwt_verify/verify.js``, which preloads the same JWKS into aws-jwt-verify's
``CognitoJwtVerifier`` with ``cacheJwks``. Both sides then time single verifications of the
very same tokens with warm key caches, in alternating batches, so that both meet the same
machine noise (on a shared VM, speed drifts over seconds). Reported: the median per-call time
over all batches, for our verifier and for aws-jwt-verify's ``verifySync`` and ``verify``; the
ratio is ours against the faster of the two. For reference it also times python-jose's
``jwt.decode`` alone (key object prebuilt, no Cognito-specific checks), the obvious
alternative. Everything it starts is stopped, node runs under a deadline, and the whole run
takes well under a minute.
"""

from __future__ import annotations

import argparse
import base64
import gc
import http.server
import json
import platform
import queue
import shutil
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from jose import jwk as jose_jwk
from jose import jwt as jose_jwt

ROOT = Path(__file__).resolve().parent.parent
NODE_DIR = ROOT / "bench" / "jwt_verify"
sys.path.insert(0, str(ROOT))

from accounts.tokens import CognitoTokenVerifier, TokenError  # noqa: E402

REGION = "us-east-1"
USER_POOL_ID = "us-east-1_abcDEF123"
CLIENT_ID = "3n4b5urk1ft4fl3mg5e62d9ado"
ISSUER = f"https://cognito-idp.{REGION}.amazonaws.com/{USER_POOL_ID}"
KID = "bench-key-1"
NODE_REPLY_TIMEOUT_S = 60.0
NPM_TIMEOUT_S = 180


def b64url(data: bytes) -> str:
    """Encode bytes as unpadded base64url text."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def int_b64url(value: int) -> str:
    """Encode a positive integer as big-endian unpadded base64url."""
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def sign(claims: dict[str, Any], key: rsa.RSAPrivateKey) -> str:
    """Sign claims as Cognito does: a header with only kid and alg."""
    header = b64url(json.dumps({"kid": KID, "alg": "RS256"}, separators=(",", ":")).encode())
    payload = b64url(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}".encode()
    signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    return f"{header}.{payload}.{b64url(signature)}"


def tamper(token: str) -> str:
    """Flip one character of the payload, keeping the signature."""
    header, payload, signature = token.split(".")
    flipped = ("A" if payload[10] != "A" else "B").join((payload[:10], payload[11:]))
    return f"{header}.{flipped}.{signature}"


def make_tokens(key: rsa.RSAPrivateKey) -> dict[str, dict[str, str]]:
    """Build a realistic Cognito ID token and access token for one user."""
    now = int(time.time())
    common = {
        "sub": str(uuid.uuid4()),
        "cognito:groups": ["photographers"],
        "iss": ISSUER,
        "origin_jti": str(uuid.uuid4()),
        "event_id": str(uuid.uuid4()),
        "auth_time": now,
        "exp": now + 3600,
        "iat": now,
        "jti": str(uuid.uuid4()),
    }
    id_claims = {
        **common,
        "email_verified": True,
        "cognito:username": "alice",
        "aud": CLIENT_ID,
        "token_use": "id",
        "email": "alice@example.com",
    }
    access_claims = {
        **common,
        "client_id": CLIENT_ID,
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "username": "alice",
    }
    tokens = {}
    for use, claims in (("id", id_claims), ("access", access_claims)):
        token = sign(claims, key)
        tokens[use] = {"tokenUse": use, "token": token, "tampered": tamper(token)}
    return tokens


class _JwksHandler(http.server.BaseHTTPRequestHandler):
    body = b""

    def do_GET(self) -> None:
        """Serve the JWKS for any path."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the bench output clean."""


class NodeWorker:
    """Drive bench/jwt_verify/verify.js over a line-based JSON protocol, with deadlines."""

    def __init__(self, job: dict[str, Any]) -> None:
        """Start node and hand it the job; install aws-jwt-verify first if missing."""
        node, npm = shutil.which("node"), shutil.which("npm")
        if node is None or npm is None:
            raise SystemExit("node and npm are needed for the aws-jwt-verify side of the bench")
        if not (NODE_DIR / "node_modules" / "aws-jwt-verify").is_dir():
            subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund"],
                cwd=NODE_DIR,
                check=True,
                timeout=NPM_TIMEOUT_S,
            )
        self.process = subprocess.Popen(
            [node, "verify.js"],
            cwd=NODE_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._lines: queue.Queue[str] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.hello = self.ask(job)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put("")

    def ask(self, message: dict[str, Any]) -> dict[str, Any]:
        """Send one request line and wait, bounded, for the one-line answer."""
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()
        try:
            line = self._lines.get(timeout=NODE_REPLY_TIMEOUT_S)
        except queue.Empty:
            raise SystemExit("node did not answer in time") from None
        if not line:
            raise SystemExit(f"node exited with status {self.process.wait(timeout=5)}")
        return json.loads(line)

    def close(self) -> None:
        """End node: EOF first, then terminate, then kill."""
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._reader.join(timeout=5)


def time_calls(fn: Callable[[], Any], n: int) -> list[int]:
    """Return the wall time of each of n calls of fn, in nanoseconds."""
    samples = [0] * n
    clock = time.perf_counter_ns
    gc.disable()
    try:
        for i in range(n):
            start = clock()
            fn()
            samples[i] = clock() - start
    finally:
        gc.enable()
    return samples


def main() -> int:
    """Run the comparison and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=40)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=2000)
    args = parser.parse_args()

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    numbers = key.public_key().public_numbers()
    jwk = {"kid": KID, "alg": "RS256", "kty": "RSA", "use": "sig"}
    jwk |= {"e": int_b64url(numbers.e), "n": int_b64url(numbers.n)}
    jwks = {"keys": [jwk]}
    tokens = make_tokens(key)

    _JwksHandler.body = json.dumps(jwks).encode()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _JwksHandler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    jwks_url = f"http://127.0.0.1:{server.server_port}/{USER_POOL_ID}/.well-known/jwks.json"
    worker = None
    try:
        worker = NodeWorker(
            {"userPoolId": USER_POOL_ID, "clientId": CLIENT_ID, "jwks": jwks, "tokens": tokens}
        )
        ours: dict[str, Callable[[], Any]] = {}
        jose: dict[str, Callable[[], Any]] = {}
        cold_ms: dict[str, float] = {}
        for use, spec in tokens.items():
            verifier = CognitoTokenVerifier(
                region=REGION, user_pool_id=USER_POOL_ID, client_ids=[CLIENT_ID], jwks_url=jwks_url
            )
            verify = verifier.verify_id_token if use == "id" else verifier.verify_access_token
            start = time.perf_counter_ns()
            claims = verify(spec["token"])
            cold_ms[use] = (time.perf_counter_ns() - start) / 1e6
            try:
                verify(spec["tampered"])
                raise SystemExit(f"our verifier accepted a tampered {use} token")
            except TokenError:
                pass
            node_check = worker.hello["checks"][use]
            if not node_check["rejectsTampered"] or node_check["sub"] != claims["sub"]:
                raise SystemExit(f"aws-jwt-verify sanity check failed for the {use} token")
            ours[use] = lambda v=verify, t=spec["token"]: v(t)
            jose_key = jose_jwk.construct(jwk, "RS256")
            audience = CLIENT_ID if use == "id" else None
            jose[use] = lambda k=jose_key, t=spec["token"], a=audience: jose_jwt.decode(
                t, k, algorithms=["RS256"], issuer=ISSUER, audience=a
            )

        samples: dict[tuple[str, str], list[int]] = {}
        for use in tokens:
            time_calls(ours[use], args.warmup)
            time_calls(jose[use], args.warmup)
            for mode in ("sync", "async"):
                worker.ask({"use": use, "mode": mode, "n": args.warmup})
        for _ in range(args.batches):
            for use in tokens:
                samples.setdefault((use, "ours"), []).extend(time_calls(ours[use], args.batch_size))
                samples.setdefault((use, "jose"), []).extend(
                    time_calls(jose[use], args.batch_size // 5)
                )
                for mode in ("sync", "async"):
                    answer = worker.ask({"use": use, "mode": mode, "n": args.batch_size})
                    samples.setdefault((use, mode), []).extend(answer["samples"])
        node_version = worker.hello["node"]
    finally:
        if worker is not None:
            worker.close()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    print(
        f"python {platform.python_version()} / node {node_version}; "
        f"{args.batches} alternating batches x {args.batch_size} calls per side and token "
        f"(+{args.warmup} warm-up); median µs per call, warm key caches"
    )
    print(
        f"{'token':7} {'ours':>7} {'aws sync':>9} {'aws async':>10} {'ratio':>6}"
        f"   {'jose jwt.decode':>15}   {'ours first call (JWKS fetch) ms':>31}"
    )
    worst = 0.0
    for use in tokens:
        mine = statistics.median(samples[(use, "ours")]) / 1000
        aws_sync = statistics.median(samples[(use, "sync")]) / 1000
        aws_async = statistics.median(samples[(use, "async")]) / 1000
        jose_decode = statistics.median(samples[(use, "jose")]) / 1000
        ratio = mine / min(aws_sync, aws_async)
        worst = max(worst, ratio)
        print(
            f"{use:7} {mine:7.1f} {aws_sync:9.1f} {aws_async:10.1f} {ratio:6.2f}"
            f"   {jose_decode:15.1f}   {cold_ms[use]:31.2f}"
        )
    print(f"worst ratio ours / aws-jwt-verify (faster mode): {worst:.2f} (target <= 1.20)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
