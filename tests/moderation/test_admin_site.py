"""The admin site holds no SQL-backed page and never writes Django's SQL admin log."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User


def test_only_the_sites_own_pages_are_registered():
    assert not admin.site.is_registered(User)
    assert not admin.site.is_registered(Group)
    assert {model._meta.app_label for model in admin.site._registry} == {"moderation"}
    for model in admin.site._registry:
        assert not model._meta.managed, model  # permission-only classes, no table behind them


@pytest.mark.parametrize("method", ["log_addition", "log_change", "log_deletion"])
def test_no_page_can_write_the_sql_admin_log(rf, method):
    for model_admin in admin.site._registry.values():
        with pytest.raises(NotImplementedError):
            getattr(model_admin, method)(rf.get("/"), None, "")
