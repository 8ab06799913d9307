"""Forms of the sign-up, sign-in and password pages. Cognito enforces the password policy."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from accounts import password_rules

CODE_FIELD = {
    "max_length": 12,
    "widget": forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
}


def _password(label: str, autocomplete: str = "new-password") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class AccountForm(forms.Form):
    """A form of the account pages, its labels ending in the colon of the page's language
    (Django's own suffix is an ASCII colon in Chinese too)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", pgettext("label suffix", ":"))
        super().__init__(*args, **kwargs)


def _email() -> forms.EmailField:
    return forms.EmailField(
        label=pgettext_lazy("account form", "Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class NewPasswordMixin(AccountForm):
    """Ask for a new password twice, stating the pool's password rules up front."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password"].help_text = password_rules.password_rules_text()

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("new_password") != cleaned.get("new_password_again"):
            self.add_error("new_password_again", _("The two passwords differ."))
        return cleaned


class SignUpForm(NewPasswordMixin):
    email = _email()
    display_name = forms.CharField(label=_("Display name"), max_length=64)
    new_password = _password(_("Password"))
    new_password_again = _password(_("Password again"))

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(_("Please choose a display name."))
        return name


class ConfirmForm(AccountForm):
    email = _email()
    code = forms.CharField(label=_("Code from the email"), **CODE_FIELD)


class EmailForm(AccountForm):
    email = _email()


class SignInForm(AccountForm):
    email = _email()
    password = _password(_("Password"), autocomplete="current-password")


class NewPasswordForm(NewPasswordMixin):
    new_password = _password(_("New password"))
    new_password_again = _password(_("New password again"))


class CodeForm(AccountForm):
    code = forms.CharField(label=_("Code from your authenticator app"), **CODE_FIELD)


class ResetPasswordForm(NewPasswordMixin):
    email = _email()
    code = forms.CharField(label=_("Code from the email"), **CODE_FIELD)
    new_password = _password(_("New password"))
    new_password_again = _password(_("New password again"))


class ChangePasswordForm(NewPasswordMixin):
    old_password = _password(_("Current password"), autocomplete="current-password")
    new_password = _password(_("New password"))
    new_password_again = _password(_("New password again"))
