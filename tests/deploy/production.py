"""The documented production environment, for tests that start the site as production."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = ROOT / "deploy" / "production.env.example"
INHERITED = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT"}


def production_env(**extra: str) -> dict[str, str]:
    """Return the documented production environment, with a test-only secret key."""
    # Only what a process needs to run: the test session's own variables (the local stack,
    # DJANGO_ALLOW_ASYNC_UNSAFE of the browser tests ...) are not production's.
    env = {k: v for k, v in os.environ.items() if k in INHERITED}
    for line in PRODUCTION_ENV.read_text().splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = value
    env["DJANGO_SECRET_KEY"] = "p" * 20 + "roduction-secret-key-for-the-test-only-0123456789"
    env["DJANGO_SETTINGS_MODULE"] = "photosite.settings"
    env.update(extra)
    return env
