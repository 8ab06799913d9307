"""The User Pool's password rules, said in the user's language: before they choose a password
(the forms' help text) and when Cognito refuses one (instead of its English policy message).

The rules are settings.COGNITO_PASSWORD_POLICY, the policy photosite.bootstrap and the
CloudFormation template give the pool (a test keeps the three equal).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

# Cognito's InvalidPasswordException says which rule failed in English ("Password did not
# conform with policy: Password must have uppercase characters"); a word of it names the rule.
COGNITO_REASONS = (
    ("long enough", "MinimumLength"),
    ("uppercase", "RequireUppercase"),
    ("lowercase", "RequireLowercase"),
    ("numeric", "RequireNumbers"),
    ("symbol", "RequireSymbols"),
)


def _needs() -> dict[str, str]:
    return {
        "RequireUppercase": _("an uppercase letter"),
        "RequireLowercase": _("a lowercase letter"),
        "RequireNumbers": _("a digit"),
        "RequireSymbols": _("a symbol"),
    }


def _join(items: list[str]) -> str:
    """Join "a, b and c" the way the active language lists things (中文: a、b和c)."""
    if len(items) < 2:
        return "".join(items)
    return (
        pgettext("list separator", ", ").join(items[:-1])
        + pgettext("list separator before the last item", " and ")
        + items[-1]
    )


def password_rules_text() -> str:
    """Return the rules as one sentence: "At least 10 characters, including an uppercase
    letter, a lowercase letter and a digit." """
    policy = settings.COGNITO_PASSWORD_POLICY
    length = {"length": policy.get("MinimumLength", 8)}
    needs = [text for rule, text in _needs().items() if policy.get(rule)]
    if not needs:
        return _("At least %(length)d characters.") % length
    return _("At least %(length)d characters, including %(needs)s.") % {
        **length,
        "needs": _join(needs),
    }


def password_refusal_text(cognito_message: str = "") -> str:
    """Return what to tell someone whose password Cognito refused: the rule it broke when
    Cognito's message names one, then all the rules."""
    rule = next((rule for word, rule in COGNITO_REASONS if word in cognito_message), None)
    if rule == "MinimumLength":
        reason = _("That password is too short.")
    elif rule is not None:
        reason = _("That password needs %(need)s.") % {"need": _needs()[rule]}
    else:
        reason = _("That password does not meet the password policy.")
    return _("%(reason)s %(rules)s") % {"reason": reason, "rules": password_rules_text()}
