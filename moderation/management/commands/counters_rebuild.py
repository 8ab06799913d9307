"""Count the admin dashboard's counters again from the indexes (once, after deploying them)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from moderation.counter_rebuild import DAYS, counters_rebuild


class Command(BaseCommand):
    help = (
        "Recount uploads and comments per day and hidden photos and comments from the indexes "
        "and write the dashboard's counters (for data older than the counters)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=DAYS, help="days to recount (30)")

    def handle(self, *args, **options) -> None:
        totals = counters_rebuild(days=options["days"])
        hidden = (
            f"hidden photos {totals['hidden#photo']}, hidden comments {totals['hidden#comment']}"
        )
        self.stdout.write(f"{len(totals)} counters written; {hidden}")
