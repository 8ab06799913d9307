"""Create the local demo accounts and photos."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from photosite import demo


class Command(BaseCommand):
    help = "Create the demo admin and user in the local Cognito and a few demo photos."

    def handle(self, *args, **options) -> None:
        refusal = demo.demo_refusal()
        if refusal:
            raise CommandError(f"Refusing to create demo data: {refusal}.")
        if not settings.COGNITO_USER_POOL_ID:
            raise CommandError("COGNITO_USER_POOL_ID is not set; run bootstrap_aws first.")
        users = [
            demo.demo_user_ensure(settings.COGNITO_USER_POOL_ID, user) for user in demo.demo_users()
        ]
        made = demo.demo_photos_ensure(users[-1])
        for user in users:
            self.stdout.write(f"  {user.email} / {user.password}  ({', '.join(user.groups)})")
        if made:
            self.stdout.write(f"  created {made} demo photos")
