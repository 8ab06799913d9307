"""The grid's cards as HTML, each rendered once per process and then reused.

A card's HTML (templates/gallery/_card.html) is a function of the card alone (the photo's id,
name, size, upload time and comment count), its thumbnail URL (the same string for a whole
signing window, core/presign.py) and the viewer's language and time zone. Those are the cache
key, so nothing cached can go stale: a rename, a new comment or the next URL window is another
key. Which cards a page shows is never cached: every page runs its listing's Query, so a photo
hidden or deleted a moment ago is gone from the next page.

Rendering 24 cards through the template costs more CPU than the rest of the page around them
(a reverse() and two date formats a card); a cached card costs a dictionary lookup.
"""

from __future__ import annotations

from datetime import tzinfo
from functools import lru_cache

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from gallery import storage
from gallery.selectors import PhotoCard

# Cards kept per process: a few pages of cards for each language and time zone seen within a
# URL window. An entry is about 1.5 KB with its key, so 3 MB at most.
CACHE_SIZE = 2048
# The bulk-action checkbox of a card (cards_html's `select`).
SELECT = "select"
SELECTED = "selected"


def cards_html(*, cards: list[PhotoCard], select: str = "") -> SafeString:
    """Return the HTML of the cards that have a thumbnail, in order, for the active language
    and time zone: one string (empty for no cards), so the grid inserts it in one step.

    `select` gives each card a checkbox of the bulk-action form ("My photos"): SELECT unticked,
    SELECTED ticked (the page's "select all" without JavaScript); empty, none."""
    shown = [card for card in cards if card.grid_key]
    urls = storage.object_urls(
        [card.grid_key for card in shown], expires_in=settings.PHOTOSITE_URL_EXPIRY
    )
    language = translation.get_language()
    zone = timezone.get_current_timezone()
    return SafeString(
        "\n".join(
            _rendered(card, url, language, zone, select)
            for card, url in zip(shown, urls, strict=True)
        )
    )


@lru_cache(maxsize=CACHE_SIZE)
def _rendered(
    card: PhotoCard, thumbnail_url: str, language: str, zone: tzinfo, select: str = ""
) -> SafeString:
    with translation.override(language), timezone.override(zone):
        return render_to_string(
            "gallery/_card.html",
            {"card": card, "thumbnail_url": thumbnail_url, "select": select},
        )


def card_html(*, card: PhotoCard, thumbnail_url: str, language: str, zone: tzinfo) -> SafeString:
    """Return one card's HTML in that language and time zone, rendered or from the cache."""
    return _rendered(card, thumbnail_url, language, zone)


def cache_clear() -> None:
    """Forget every rendered card (benchmarks measure a cold render with it)."""
    _rendered.cache_clear()
