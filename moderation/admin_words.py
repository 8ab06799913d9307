"""Django's own admin words that its Simplified Chinese catalogue lacks (Django 5.2).

The admin's templates use them (the app list's table caption and link labels, read by screen
readers); marking them here puts them in the project's catalogue, translated in
photosite/locale/translate_zh_hans.py. A word Django does translate is never listed:
tests/photosite/test_locale.py fails when the project's catalogue differs from Django's.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

DJANGO_ADMIN_WORDS = (
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
)
