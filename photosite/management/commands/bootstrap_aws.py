"""Create the local AWS resources: bucket, tables, user pool, app client, identity pool."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from photosite.bootstrap import BootstrapRefused, bootstrap_aws


class Command(BaseCommand):
    help = "Create or update the local AWS resources idempotently and print their ids."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--env-file", help="also write the ids as KEY=value lines here")

    def handle(self, *args, **options) -> None:
        try:
            result = bootstrap_aws(
                bucket=settings.AWS_STORAGE_BUCKET_NAME,
                site_origin=settings.PHOTOSITE_SITE_ORIGIN,
                log=lambda msg: self.stderr.write(f"  {msg}"),
            )
        except BootstrapRefused as exc:
            raise CommandError(str(exc)) from exc
        lines = [f"{key}={value}" for key, value in result.as_env().items()]
        if options["env_file"]:
            path = Path(options["env_file"])
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.stdout.write("\n".join(lines))
