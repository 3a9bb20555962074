"""The signed-in person's own page: name, language, password; and the language switch."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hackathon import auth, forms, passwords
from hackathon.domain import accounts, sessions
from hackathon.i18n import gettext as _
from hackathon.queries import accounts as accounts_q
from hackathon.views.accounts import redirect, render


def _page(
    user: auth.User,
    *,
    profile: forms.Parsed[Any] | None = None,
    password: forms.Parsed[Any] | None = None,
) -> dict[str, Any]:
    """The profile page's context; a form being re-shown with its errors replaces its default."""
    stored = {"name": user.name, "locale": user.locale}
    return {
        "user": user,
        "profile_form": profile or forms.Parsed(None, values=stored),
        "password_form": password or forms.Parsed(None),
    }


async def profile_page(request: Request) -> Response:
    user = auth.require_user(request)
    return render(request, "accounts/profile.html", _page(user))


async def update_profile(request: Request) -> Response:
    user = auth.require_user(request)
    form = await forms.parse(request, forms.Profile.validate)
    if form.data is None:
        return render(request, "accounts/profile.html", _page(user, profile=form), 400)
    async with request.app.state.database.write() as conn:
        await accounts.update_profile(conn, user.id, name=form.data.name, locale=form.data.locale)
    auth.set_language_cookie(request, form.data.locale)
    return redirect(request, "/profile", "profile_saved")


async def change_password(request: Request) -> Response:
    user = auth.require_user(request)
    form = await forms.parse(request, forms.PasswordChange.validate)
    if form.data is not None:
        async with request.app.state.database.read() as conn:
            stored = (await accounts_q.get_user(conn, user.id)).password_hash
        if not await passwords.verify_password(stored, form.data.current_password):
            form.errors["current_password"] = [_("This is not your current password.")]
    if form.data is None or form.errors:
        page = _page(user, password=form)
        return render(request, "accounts/profile.html", page, 400)
    password_hash = await passwords.hash_password(form.data.new_password)
    async with request.app.state.database.write() as conn:
        await accounts.change_password(
            conn, user.id, password_hash=password_hash, now=request.state.now
        )
        new = await sessions.rotate_session(
            conn, old_id_hash=None, user_id=user.id, now=request.state.now
        )
    auth.start_session(request, new)
    return redirect(request, "/profile", "password_changed")


async def choose_language(request: Request) -> Response:
    form = await forms.parse(request, forms.Language.validate)
    next_url = forms.safe_next(form.values.get("next"))
    if form.data is None:
        return redirect(request, next_url)
    auth.set_language_cookie(request, form.data.locale)
    user = request.state.user
    if user is not None:
        async with request.app.state.database.write() as conn:
            await accounts.set_locale(conn, user.id, form.data.locale)
    return redirect(request, next_url)


routes = [
    Route("/profile", profile_page, methods=["GET"], name="profile"),
    Route("/profile", update_profile, methods=["POST"], name="profile_update"),
    Route("/profile/password", change_password, methods=["POST"], name="password_change"),
    Route("/language", choose_language, methods=["POST"], name="language"),
]
