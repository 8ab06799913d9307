"""The Simplified Chinese catalogue is complete, and the committed .mo file matches the .po."""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass
from pathlib import Path

import django
import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
LC_MESSAGES = ROOT / "photosite" / "locale" / "zh_Hans" / "LC_MESSAGES"


@dataclass(frozen=True)
class Entry:
    """One entry of django.po (the header excluded)."""

    context: str | None
    msgid: str
    msgstrs: list[str]
    fuzzy: bool


def po_entries() -> list[Entry]:
    """Return every entry of django.po, header excluded."""
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
            entries.append(Entry(fields.get("msgctxt"), fields["msgid"], strs, fuzzy))
    return entries


def django_catalogue() -> dict[str, str]:
    """Django's own Simplified Chinese translations of the apps the site installs."""
    root = Path(django.__file__).parent
    found: dict[str, str] = {}
    for app in ("conf", "contrib/admin", "contrib/auth"):
        with (root / app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo").open("rb") as mo:
            for key, value in gettext.GNUTranslations(mo)._catalog.items():
                if isinstance(key, str) and key and "\x04" not in key:
                    found.setdefault(key, value)
    return found


def test_every_string_has_a_chinese_translation():
    entries = po_entries()
    assert len(entries) > 150
    untranslated = [e.msgid for e in entries if e.fuzzy or not all(e.msgstrs)]
    assert untranslated == []


def test_the_committed_mo_file_is_compiled_from_the_current_po():
    with (LC_MESSAGES / "django.mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    stale = [
        entry.msgid
        for entry in po_entries()
        if (
            catalogue.pgettext(entry.context, entry.msgid)
            if entry.context
            else catalogue.gettext(entry.msgid)
        )
        != entry.msgstrs[0]
        and "%(n)s" not in entry.msgid  # plural entries are looked up with ngettext below
    ]
    assert stale == []
    assert catalogue.ngettext("%(n)s comment", "%(n)s comments", 3) == "%(n)s 条评论"


def test_the_catalogue_never_overrides_djangos_own_translations():
    """An entry without context replaces Django's translation of the same English everywhere,
    the admin included: the project's own sense of a shared word needs a pgettext context."""
    django_zh = django_catalogue()

    overrides = [
        (entry.msgid, entry.msgstrs[0], django_zh[entry.msgid])
        for entry in po_entries()
        if entry.context is None
        and entry.msgid in django_zh
        and entry.msgstrs[0] != django_zh[entry.msgid]
    ]

    assert overrides == []


def test_in_django_admin_change_is_djangos_word_and_the_switcher_keeps_its_own():
    with translation.override("zh-hans"):
        assert translation.gettext("Change") == "修改"
        assert translation.pgettext("language switcher", "Change") == "切换"


# ASCII punctuation right after a Chinese character (CJK ideographs and fullwidth forms).
ASCII_AFTER_CHINESE = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f][:;,.!?]")


def test_chinese_translations_use_chinese_punctuation():
    ascii_punctuation = [
        entry.msgstrs[0]
        for entry in po_entries()
        if any(ASCII_AFTER_CHINESE.search(text) for text in entry.msgstrs)
    ]

    assert ascii_punctuation == []


@pytest.mark.parametrize(
    ("english", "chinese"),
    [("Gallery", "相册"), ("Upload photos", "上传照片"), ("Sign out", "退出登录")],
)
def test_django_finds_the_catalogue(english, chinese):
    with translation.override("zh-hans"):
        assert translation.gettext(english) == chinese
