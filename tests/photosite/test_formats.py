"""The site's date and time formats: an English time never ends in a period of its own."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format


@pytest.mark.parametrize("hour", [0, 6, 12, 18])
@pytest.mark.parametrize("name", ["DATETIME_FORMAT", "SHORT_DATETIME_FORMAT", "TIME_FORMAT"])
def test_english_times_leave_the_sentences_period_alone(name, hour):
    moment = datetime(2026, 11, 21, hour, 14, tzinfo=UTC)
    with translation.override("en"):
        text = date_format(moment, name)

    assert not text.endswith("."), text
    assert f"{hour % 12 or 12}:14" in text


def test_a_sentence_ending_in_a_time_has_one_period():
    sentence = Template('This link works until {{ t|date:"DATETIME_FORMAT" }}.')
    with translation.override("en"):
        text = sentence.render(Context({"t": datetime(2026, 11, 21, 6, 14, tzinfo=UTC)}))

    assert text == "This link works until Nov. 21, 2026, 6:14 AM."


def test_chinese_dates_keep_djangos_chinese_format():
    with translation.override("zh-hans"):
        text = date_format(datetime(2026, 11, 21, 6, 14, tzinfo=UTC), "DATETIME_FORMAT")

    assert text == "2026年11月21日 06:14"
