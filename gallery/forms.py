"""Forms of the gallery pages: they parse and check the shape of input; services decide."""

from __future__ import annotations

from datetime import UTC, datetime, time

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from gallery import policy, search_terms, services


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that lets the user pick several files."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that returns a list of uploaded files."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class UploadForm(forms.Form):
    """One or several photos with a name and an optional caption."""

    files = MultipleFileField(
        label=_("Photos"),
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif"}
        ),
    )
    name = forms.CharField(
        label=_("Photo name"),
        max_length=services.NAME_MAX_CHARS,
        required=False,
        help_text=_("Left empty, each photo is named after its file."),
    )
    caption = forms.CharField(
        label=_("Caption"),
        max_length=services.CAPTION_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # What the page's script needs to keep its fallback within the server-side limit.
        self.server_max_bytes = policy.server_upload_max_bytes()
        self.server_refusal = policy.server_upload_refusal()
        # Both limits in the policy's own wording, as the settings give them now.
        self.fields["files"].help_text = " ".join(
            (
                str(_("JPEG, PNG, WebP or HEIC.")),
                policy.upload_limit_text(),
                policy.server_upload_limit_text(),
            )
        )

    def photo_names(self) -> list[str]:
        """Return one name per file: the given name (numbered for several), else the file's."""
        files = self.cleaned_data["files"]
        name = self.cleaned_data["name"].strip()
        if not name:
            return [_file_stem(f.name) for f in files]
        if len(files) == 1:
            return [name]
        return [f"{name} ({number})" for number in range(1, len(files) + 1)]


def _file_stem(filename: str) -> str:
    stem = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0].strip()
    return (stem or "Untitled")[: services.NAME_MAX_CHARS]


class PhotoEditForm(forms.Form):
    """New name and caption, and the version the user saw (optimistic locking)."""

    name = forms.CharField(label=_("Photo name"), max_length=services.NAME_MAX_CHARS)
    caption = forms.CharField(
        label=_("Caption"),
        max_length=services.CAPTION_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class CommentForm(forms.Form):
    """A comment's text."""

    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The service enforces the limit (for the API too); this only helps the browser.
        self.fields["body"].widget.attrs["maxlength"] = str(settings.PHOTOSITE_COMMENT_MAX_CHARS)


class CommentChangeForm(CommentForm):
    """Which comment, the version the user saw, and (for edits) the new text."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)


class ShareForm(forms.Form):
    """How long a share link should work, and for whom, on which terms (all but the lifetime
    optional: a link with only a lifetime is the plain link of before)."""

    expires_in = forms.TypedChoiceField(
        label=_("Link valid for"),
        choices=[*services.SHARE_CHOICES.items(), (0, _("Until revoked"))],
        coerce=int,
        initial=60,
        required=False,
        empty_value=60,  # one minute unless the user chose otherwise
    )
    label = forms.CharField(
        label=_("For (recipient)"),
        required=False,
        max_length=services.SHARE_LABEL_MAX_CHARS,
        widget=forms.TextInput(attrs={"placeholder": _("for Grandma")}),
    )
    password = forms.CharField(
        label=_("Password (optional)"),
        required=False,
        min_length=services.SHARE_PASSWORD_MIN_CHARS,
        max_length=services.SHARE_PASSWORD_MAX_CHARS,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    view_limit = forms.IntegerField(
        label=_("View limit (optional)"),
        required=False,
        min_value=1,
        max_value=services.SHARE_VIEW_LIMIT_MAX,
    )
    view_only = forms.BooleanField(label=_("View only (no download)"), required=False)

    def share_options(self) -> dict[str, object]:
        """Return the cleaned options as share_link_create takes them."""
        data = self.cleaned_data
        return {
            "expires_in": data["expires_in"] or None,  # 0: until revoked
            "label": data["label"],
            "password": data["password"],
            "view_limit": data["view_limit"],
            "allow_download": not data["view_only"],
        }


class PhotoIdsField(forms.Field):
    """A list of photo ids, sent as repeated `photo_id` fields (hidden once chosen)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: object) -> list[str]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        return [str(item) for item in values if item]

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        if len(value) > services.SHARE_SELECTION_MAX:
            raise forms.ValidationError(
                _("Choose at most %(count)d photos to share."),
                params={"count": services.SHARE_SELECTION_MAX},
            )


class SelectionShareForm(ShareForm):
    """Share a selection of one's photos: their ids (from My photos) and the link's terms."""

    photo_id = PhotoIdsField(label=_("Photos"))


class SearchForm(forms.Form):
    """A name and/or an upload time range; times are in the viewer's time zone."""

    q = forms.CharField(label=_("Name or caption"), required=False, max_length=200)
    date_from = forms.DateTimeField(
        label=_("Uploaded from"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    date_to = forms.DateTimeField(
        label=_("Uploaded until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    # Dates taken are days of the camera's calendar (see gallery.exif), read as UTC days.
    taken_from = forms.DateField(
        label=_("Taken from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    taken_to = forms.DateField(
        label=_("Taken until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        q = cleaned.get("q", "").strip()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        taken_from, taken_to = cleaned.get("taken_from"), cleaned.get("taken_to")
        if taken_from is not None and taken_to is not None and taken_from > taken_to:
            self.add_error("taken_to", _("The end of the range is before its start."))
        cleaned["taken_from"] = (
            datetime.combine(taken_from, time.min, UTC) if taken_from is not None else None
        )
        cleaned["taken_to"] = (
            datetime.combine(taken_to, time.max, UTC) if taken_to is not None else None
        )
        if not q and start is None and end is None and taken_from is None and taken_to is None:
            raise forms.ValidationError(_("Enter a name, a caption word or a time range."))
        if q and not search_terms.query_terms(q):
            self.add_error("q", _("Type some letters, digits or characters to search for."))
        if start is not None and end is not None and start > end:
            self.add_error("date_to", _("The end of the range is before its start."))
        cleaned["q"] = q
        return cleaned
