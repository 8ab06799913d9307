"""Forms of the album pages: they parse and check the shape of input; gallery.services.albums
decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gallery.services import albums


class AlbumForm(forms.Form):
    """A new album: title, description, and the token that makes a resubmission harmless."""

    title = forms.CharField(label=_("Album title"), max_length=albums.TITLE_MAX_CHARS)
    description = forms.CharField(
        label=_("Description"),
        max_length=albums.DESCRIPTION_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # Made when the form is shown: a double click or a resent form posts the same one, and
    # the service hands back the album the first post made.
    request_token = forms.RegexField(
        regex=albums.REQUEST_TOKEN, widget=forms.HiddenInput, required=False
    )


class AlbumEditForm(forms.Form):
    """A new title and description, and the version the owner saw (optimistic locking)."""

    title = forms.CharField(label=_("Album title"), max_length=albums.TITLE_MAX_CHARS)
    description = forms.CharField(
        label=_("Description"),
        max_length=albums.DESCRIPTION_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def photo_ids_of(data) -> list[str]:
    """Return the photo ids a form posted (`photo_id`, repeated), blanks dropped, each cut to a
    sane length (an id that long matches no photo and is refused as missing)."""
    return [value.strip()[:64] for value in data.getlist("photo_id") if value.strip()]
