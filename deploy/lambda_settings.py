"""Django settings on Lambda (zappa_settings.json): the site's, once the secrets are loaded."""

from deploy.secrets import secrets_load

secrets_load()

from photosite.settings import *  # noqa: E402, F403
