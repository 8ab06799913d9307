from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Connects the setting_changed receiver that drops the cached token verifier.
        from accounts import verifier  # noqa: F401
