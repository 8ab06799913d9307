"""The Simplified Chinese catalogue is complete, and the committed .mo file matches the .po."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
LC_MESSAGES = ROOT / "photosite" / "locale" / "zh_Hans" / "LC_MESSAGES"


def po_entries() -> list[tuple[str, list[str], bool]]:
    """Return (msgid, msgstrs, fuzzy) for each entry of django.po, header excluded."""
    entries = []
    for block in (LC_MESSAGES / "django.po").read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        current = None
        fuzzy = False
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            if line.startswith("#") or not line.strip():
                continue
            if not line.startswith('"'):
                current, line = line.split(" ", 1)
                fields[current] = ""
            fields[current] += ast.literal_eval(line)
        if fields.get("msgid"):
            strs = [v for k, v in fields.items() if k.startswith("msgstr")]
            entries.append((fields["msgid"], strs, fuzzy))
    return entries


def test_every_string_has_a_chinese_translation():
    entries = po_entries()
    assert len(entries) > 150
    untranslated = [msgid for msgid, strs, fuzzy in entries if fuzzy or not all(strs)]
    assert untranslated == []


def test_the_committed_mo_file_is_compiled_from_the_current_po():
    with (LC_MESSAGES / "django.mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    stale = [
        msgid
        for msgid, strs, _ in po_entries()
        if catalogue.gettext(msgid) != strs[0]
        and "%(n)s" not in msgid  # plural entries are looked up with ngettext below
    ]
    assert stale == []
    assert catalogue.ngettext("%(n)s comment", "%(n)s comments", 3) == "%(n)s 条评论"


@pytest.mark.parametrize(
    ("english", "chinese"),
    [("Gallery", "相册"), ("Upload photos", "上传照片"), ("Sign out", "退出登录")],
)
def test_django_finds_the_catalogue(english, chinese):
    with translation.override("zh-hans"):
        assert translation.gettext(english) == chinese
