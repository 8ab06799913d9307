"""Why a moderator hid a photo: a fixed list of reasons and an optional note.

The reason is stored on the photo (`hidden_reason`, `hidden_note`) and in the audit event; the
photo's owner reads it on the photo's page, in their language (the labels are translated where
they are shown, so the stored code never depends on the moderator's language).
"""

from __future__ import annotations

import unicodedata

from gallery.errors import Invalid, gettext_noop

NOTE_MAX_CHARS = 500

# code -> label (marked for translation, translated when shown). The order is the forms' order.
HIDE_REASONS: dict[str, str] = {
    "spam": gettext_noop("Spam or advertising"),
    "sexual": gettext_noop("Sexual content"),
    "violence": gettext_noop("Violence or gore"),
    "harassment": gettext_noop("Harassment or hate"),
    "copyright": gettext_noop("Someone else's copyright"),
    "privacy": gettext_noop("Someone's private information"),
    "other": gettext_noop("Other (see the note)"),
}


def hide_reason_clean(*, reason: str, note: str = "") -> tuple[str, str]:
    """Return the reason code and the stripped note, or raise Invalid (400) for an unknown
    reason, a note with control characters or one that is too long."""
    reason = (reason or "").strip()
    if reason not in HIDE_REASONS:
        raise Invalid(
            gettext_noop("Choose why the photo is hidden from the list of reasons."),
            code="bad_reason",
        )
    note = (note or "").strip()
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in note):
        raise Invalid(
            gettext_noop("Remove the control characters from the text."), code="control_characters"
        )
    if len(note) > NOTE_MAX_CHARS:
        raise Invalid(
            gettext_noop("The note is too long (at most %(limit)d characters)."),
            code="note_too_long",
            params={"limit": NOTE_MAX_CHARS},
        )
    return reason, note


def hide_reason_label(code: str | None) -> str:
    """Return the untranslated label of a reason code ('' for none; the code for an unknown
    one, so a reason retired from the list still reads as something)."""
    if not code:
        return ""
    return HIDE_REASONS.get(code, code)
