"""The report form: a reason from the fixed list and an optional, bounded note."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gallery.services.reports import NOTE_MAX_CHARS

# The reasons as the pages (and the admin's queue) name them, in the order of REASONS.
REASON_LABELS = {
    "spam": _("Spam or advertising"),
    "harassment": _("Harassment or hate"),
    "sexual": _("Nudity or sexual content"),
    "violence": _("Violence or threats"),
    "copyright": _("Copyright infringement"),
    "other": _("Something else"),
}


def reason_label(reason: str) -> str:
    """Return a reason's label in the active language (the code itself if unknown)."""
    return str(REASON_LABELS.get(reason, reason))


class ReportForm(forms.Form):
    """What is wrong with a photo or comment; which one travels in the hidden fields."""

    reason = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=list(REASON_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason for the report.")},
    )
    note = forms.CharField(
        label=_("Anything a moderator should know (optional)"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX_CHARS}),
    )
    comment = forms.CharField(required=False, widget=forms.HiddenInput, max_length=300)
    via = forms.CharField(required=False, widget=forms.HiddenInput, max_length=300)
