"""One-shot messages across a redirect (post/redirect/get).

The cookie carries only a key from ``MESSAGES``, never text: nothing a visitor
puts in it can reach the page, and the text is translated when it is shown.
"""

from __future__ import annotations

from hackathon.i18n import LazyString, lazy_gettext

COOKIE = "flash"

MESSAGES: dict[str, tuple[str, LazyString]] = {
    "signed_up": (
        "success",
        lazy_gettext(
            "Welcome! We sent you a link to confirm your e-mail address. You can log in now."
        ),
    ),
    "logged_in": ("success", lazy_gettext("You are logged in.")),
    "logged_out": ("success", lazy_gettext("You are logged out.")),
    "verified": ("success", lazy_gettext("Thank you: your e-mail address is confirmed.")),
    "verify_sent": ("success", lazy_gettext("We sent you a new confirmation link.")),
    "mail_limit": (
        "info",
        lazy_gettext(
            "We already sent you several links in the last hour, so we sent no new one. "
            "Look for them in your inbox and spam folder, or try again in an hour."
        ),
    ),
    "reset_sent": (
        "success",
        lazy_gettext(
            "If an account uses this address, we sent it a link to choose a new password. "
            "The link works for 60 minutes."
        ),
    ),
    "password_reset": (
        "success",
        lazy_gettext("Your new password is set. Please log in with it."),
    ),
    "password_changed": (
        "success",
        lazy_gettext("Your password is changed. Other devices are now logged out."),
    ),
    "profile_saved": ("success", lazy_gettext("Your profile is saved.")),
    "roles_saved": ("success", lazy_gettext("The roles are saved.")),
    "session_expired": ("info", lazy_gettext("Please log in to continue.")),
}


def read(cookies: dict[str, str]) -> list[tuple[str, LazyString]]:
    found = MESSAGES.get(cookies.get(COOKIE, ""))
    return [found] if found else []


def cookie_header(key: str, *, secure: bool) -> str:
    assert key in MESSAGES, key
    return f"{COOKIE}={key}; Path=/; HttpOnly; SameSite=Lax; Max-Age=120" + (
        "; Secure" if secure else ""
    )


def clear_cookie() -> str:
    return f"{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
