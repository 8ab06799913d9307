"""Account pages: parse the form, call one service, render or redirect."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import forms, hosted_ui, services
from accounts.services import Challenge, CognitoError, SignInRefused

# Where each challenge is answered; others (SMS, custom) are not offered by this site.
CHALLENGE_PAGES = {
    "NEW_PASSWORD_REQUIRED": "accounts:new_password",
    "SOFTWARE_TOKEN_MFA": "accounts:mfa",
    "MFA_SETUP": "accounts:mfa_setup",
}
# Sent whatever happened, so the page never tells whether an email is registered.
CODE_SENT = gettext_lazy(
    "If that address can receive a code, we have just sent one. Check your email."
)


def safe_next(request: HttpRequest, value: str | None) -> str:
    """Return value if it is a local URL of this site, else the default landing page."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return settings.LOGIN_REDIRECT_URL


def _after_signin(request: HttpRequest, challenge: Challenge | None) -> HttpResponse:
    if challenge is None:
        return HttpResponseRedirect(safe_next(request, services.signin_next_pop(request=request)))
    page = CHALLENGE_PAGES.get(challenge.name)
    if page is None:
        services.challenge_abandon(request=request)
        messages.error(request, _("This account needs a sign-in step this site does not offer."))
        return redirect("accounts:login")
    return redirect(page)


def _confirm_url(email: str) -> str:
    return (
        reverse("accounts:confirm")
        + "?"
        + urlencode({"email": services.email_normalize(email=email)})
    )


@never_cache
def signup(request: HttpRequest) -> HttpResponse:
    """Register with email, display name and password."""
    form = forms.SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_sign_up(
                request=request,
                email=data["email"],
                password=data["new_password"],
                display_name=data["display_name"],
            )
        except (SignInRefused, CognitoError) as exc:
            field = (
                "new_password" if getattr(exc, "code", "") == "InvalidPasswordException" else None
            )
            form.add_error(field, exc.message)
        else:
            messages.info(request, CODE_SENT)
            return redirect(_confirm_url(data["email"]))
    return render(request, "accounts/signup.html", {"form": form})


@never_cache
def confirm(request: HttpRequest) -> HttpResponse:
    """Confirm a registration with the emailed code."""
    form = forms.ConfirmForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        try:
            services.user_confirm(email=form.cleaned_data["email"], code=form.cleaned_data["code"])
        except CognitoError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your email is confirmed. You can sign in now."))
            # The sign-in form starts with the address just confirmed.
            query = urlencode({"email": form.cleaned_data["email"]})
            return redirect(reverse("accounts:login") + "?" + query)
    return render(request, "accounts/confirm.html", {"form": form})


@never_cache
def resend(request: HttpRequest) -> HttpResponse:
    """Send the registration code again."""
    form = forms.EmailForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            services.code_resend(request=request, email=email)
        except (SignInRefused, CognitoError) as exc:
            form.add_error(None, exc.message)
        else:
            messages.info(request, CODE_SENT)
            return redirect(_confirm_url(email))
    return render(request, "accounts/resend.html", {"form": form})


@never_cache
def signin(request: HttpRequest) -> HttpResponse:
    """Sign in with email and password."""
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = forms.SignInForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            challenge = services.signin_start(
                request=request, email=email, password=form.cleaned_data["password"]
            )
        except SignInRefused as exc:
            form.add_error(None, exc.message)
        except CognitoError as exc:
            if exc.code == "UserNotConfirmedException":
                # Cognito says this only after checking the password, so it reveals nothing.
                messages.info(request, exc.message)
                return redirect(_confirm_url(email))
            form.add_error(None, exc.message)
        else:
            services.signin_next_store(request=request, url=next_url)
            return _after_signin(request, challenge)
    context = {"form": form, "next": next_url, "hosted_ui": hosted_ui.enabled()}
    return render(request, "accounts/signin.html", context)


def _challenge_page(
    request: HttpRequest,
    *,
    name: str,
    form_class: type[Form],
    template: str,
    answers: Callable[[dict], dict[str, str]],
) -> HttpResponse:
    challenge = services.challenge_pending(request=request)
    if challenge is None or challenge.name != name:
        messages.info(request, _("Please sign in again."))
        return redirect("accounts:login")
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            following = services.challenge_answer(
                request=request, answers=answers(form.cleaned_data)
            )
        except CognitoError as exc:
            form.add_error(None, exc.message)
        else:
            return _after_signin(request, following)
    return render(request, template, {"form": form})


@never_cache
def new_password(request: HttpRequest) -> HttpResponse:
    """Choose a new password (accounts an administrator created)."""
    return _challenge_page(
        request,
        name="NEW_PASSWORD_REQUIRED",
        form_class=forms.NewPasswordForm,
        template="accounts/new_password.html",
        answers=lambda data: {"NEW_PASSWORD": data["new_password"]},
    )


@never_cache
def mfa(request: HttpRequest) -> HttpResponse:
    """Enter the code from the authenticator app."""
    return _challenge_page(
        request,
        name="SOFTWARE_TOKEN_MFA",
        form_class=forms.CodeForm,
        template="accounts/mfa.html",
        answers=lambda data: {"SOFTWARE_TOKEN_MFA_CODE": data["code"].strip()},
    )


def _otpauth_uri(*, secret: str, account: str) -> str:
    label = f"photosite:{account}"
    return (
        "otpauth://totp/"
        + urlencode({"": label})[1:]
        + "?"
        + urlencode({"secret": secret, "issuer": "photosite"})
    )


@never_cache
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app during sign-in, when the pool requires MFA."""
    challenge = services.challenge_pending(request=request)
    if challenge is None or challenge.name != "MFA_SETUP":
        messages.info(request, _("Please sign in again."))
        return redirect("accounts:login")
    form = forms.CodeForm(request.POST or None)
    secret = None
    try:
        secret = services.mfa_setup_secret(request=request, challenge=challenge)
        if request.method == "POST" and form.is_valid():
            following = services.mfa_setup_verify(request=request, code=form.cleaned_data["code"])
            return _after_signin(request, following)
    except CognitoError as exc:
        form.add_error(None, exc.message)
    context = {
        "form": form,
        "secret": secret,
        "otpauth": _otpauth_uri(secret=secret or "", account=challenge.username),
    }
    return render(request, "accounts/totp_setup.html", context)


@never_cache
@login_required
def totp_setup(request: HttpRequest) -> HttpResponse:
    """Turn on an authenticator app (TOTP) for the signed-in user, if the pool allows it."""
    try:
        available = services.totp_offered(request=request)
    except CognitoError as exc:
        messages.error(request, exc.message)
        return redirect(settings.LOGIN_REDIRECT_URL)
    if not available:
        messages.info(request, _("Authenticator apps are not enabled for this site."))
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = forms.CodeForm(request.POST or None)
    secret = None
    try:
        secret, new = services.totp_secret(request=request, renew=request.method == "GET")
        if request.method == "POST" and not new and form.is_valid():
            services.totp_verify(request=request, code=form.cleaned_data["code"])
            messages.success(request, _("Your authenticator app is set up."))
            return redirect(settings.LOGIN_REDIRECT_URL)
    except CognitoError as exc:
        form.add_error(None, exc.message)
    context = {
        "form": form,
        "secret": secret,
        "otpauth": _otpauth_uri(secret=secret or "", account=request.user.email),
    }
    return render(request, "accounts/totp_setup.html", context)


@never_cache
def forgot_password(request: HttpRequest) -> HttpResponse:
    """Ask for a password reset code."""
    form = forms.EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            services.password_forgot(request=request, email=email)
        except (SignInRefused, CognitoError) as exc:
            form.add_error(None, exc.message)
        else:
            messages.info(request, CODE_SENT)
            reset_url = reverse("accounts:reset_password")
            query = urlencode({"email": services.email_normalize(email=email)})
            return redirect(f"{reset_url}?{query}")
    return render(request, "accounts/forgot_password.html", {"form": form})


@never_cache
def reset_password(request: HttpRequest) -> HttpResponse:
    """Set a new password with the emailed code."""
    form = forms.ResetPasswordForm(
        request.POST or None, initial={"email": request.GET.get("email", "")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.password_reset(
                email=data["email"], code=data["code"], new_password=data["new_password"]
            )
        except CognitoError as exc:
            field = "new_password" if exc.code == "InvalidPasswordException" else None
            form.add_error(field, exc.message)
        else:
            messages.success(request, _("Your password has been changed. Please sign in."))
            return redirect("accounts:login")
    return render(request, "accounts/reset_password.html", {"form": form})


@never_cache
@login_required
def change_password(request: HttpRequest) -> HttpResponse:
    """Change the signed-in user's password."""
    form = forms.ChangePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                request=request,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except CognitoError as exc:
            if exc.code == "NotAuthorizedException":
                form.add_error("old_password", _("That is not your current password."))
            else:
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your password has been changed."))
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/change_password.html", {"form": form})


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    """Sign out here and in Cognito."""
    used_hosted_ui = services.hosted_ui_signed_in(request=request)
    services.signout(request=request)
    messages.info(request, _("You have been signed out."))
    if used_hosted_ui and hosted_ui.enabled():
        return HttpResponseRedirect(hosted_ui.logout_url())
    return redirect(settings.LOGIN_REDIRECT_URL)


@never_cache
def hosted_login(request: HttpRequest) -> HttpResponse:
    """Send the browser to the Hosted UI."""
    if not hosted_ui.enabled():
        return redirect("accounts:login")
    next_url = safe_next(request, request.GET.get("next"))
    provider = request.GET.get("provider", "")[:64]
    return HttpResponseRedirect(
        hosted_ui.authorize_url(request=request, next_url=next_url, provider=provider)
    )


@never_cache
def hosted_callback(request: HttpRequest) -> HttpResponse:
    """Finish a Hosted UI sign-in."""
    if not hosted_ui.enabled():
        return redirect("accounts:login")
    try:
        next_url = hosted_ui.callback(request=request)
    except CognitoError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:login")
    services.hosted_ui_mark(request=request)
    return HttpResponseRedirect(safe_next(request, next_url))
