"""WSGI entry point (gunicorn behind a load balancer, or Zappa on Lambda)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "photosite.settings")

application = get_wsgi_application()
