"""Start the embedded local AWS stack, bootstrap it, seed demo data and serve the site."""

from __future__ import annotations

import faulthandler
import os
import signal
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from core import aws
from core.localstack import LocalAws
from photosite.bootstrap import bootstrap_aws
from photosite.devserver import runserver_command


class Command(BaseCommand):
    help = "Run the site on the embedded local AWS stack (moto server on loopback)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--noreload", action="store_true")

    def handle(self, *args, addrport: str, noreload: bool, **options) -> None:
        # `kill -USR1 <pid>` prints where every thread of either process is (a stuck stop).
        faulthandler.register(signal.SIGUSR1, all_threads=True)
        # Ctrl-C must stop it all even when whatever started it ignored or blocked SIGINT (a
        # test runner's worker may): both are inherited across exec, and Python then never
        # raises KeyboardInterrupt, so the parent waits on a child that never stops.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        signal.signal(signal.SIGINT, signal.default_int_handler)
        # Django's autoreloader runs this command again in a child process (RUN_MAIN=true);
        # the stack and the ids in the environment belong to the parent and are inherited.
        if os.environ.get("RUN_MAIN") == "true":
            _exit_with_parent()
            call_command(runserver_command(), addrport, use_reloader=not noreload)
            return
        cfg = aws.settings()
        if not settings.PHOTOSITE_LOCAL_MODE or not cfg.is_local:
            raise CommandError("runlocal needs DJANGO_DEBUG=true and AWS_ENDPOINT_URL on loopback.")
        started = time.monotonic()
        (settings.BASE_DIR / "var").mkdir(exist_ok=True)
        stack = LocalAws(port=urlsplit(cfg.endpoint_url).port or 4566).start()
        try:
            result = bootstrap_aws(
                bucket=settings.AWS_STORAGE_BUCKET_NAME, site_origin=settings.PHOTOSITE_SITE_ORIGIN
            )
            for key, value in result.as_env().items():
                os.environ[key] = value
                setattr(settings, key, value)
            self.stdout.write(self.style.SUCCESS("photosite is starting"))
            self.stdout.write(f"  site:             http://{addrport}/")
            self.stdout.write(
                f"  local AWS:        {stack.endpoint_url} "
                f"({'started' if stack.owned else 'reused'})"
            )
            self.stdout.write(f"  user pool:        {result.user_pool_id}")
            self.stdout.write("  demo accounts:")
            call_command("seed_demo", stdout=self.stdout)
            self.stdout.write(f"  ready in {time.monotonic() - started:.1f} s; Ctrl-C stops it all")
            call_command(runserver_command(), addrport, use_reloader=not noreload)
        finally:
            stack.stop()


def _exit_with_parent() -> None:
    """End this server process when the parent that owns the stack dies.

    Ctrl-C reaches both processes, but a parent killed by SIGTERM would leave the child serving
    against an emulator that no longer exists.
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
