"""Account pages: sign up, log in and out, e-mail verification, password reset, profile."""

from __future__ import annotations

from typing import Any

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from hackathon import auth, forms, passwords
from hackathon.domain import accounts, sessions
from hackathon.domain.login import log_in
from hackathon.i18n import gettext as _
from hackathon.mail import send_templated


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status)


def redirect(request: Request, url: str, flash: str | None = None) -> RedirectResponse:
    if flash is not None:
        auth.set_flash(request, flash)
    return RedirectResponse(url, status_code=303)


def client_ip(request: Request) -> str:
    # The peer, or the client a trusted proxy names (run.py, FORWARDED_ALLOW_IPS); cut to
    # the width of the address columns (login throttle, mail log).
    return request.client.host[:45] if request.client else ""


def mail_task(
    request: Request, *, to: str, name: str, locale: str, template: str, path: str
) -> BackgroundTask:
    """Send after the response: a known address must not answer slower than an unknown one."""
    settings = request.app.state.settings
    context = {"name": name, "link": f"{settings.base_url}{path}"}
    return BackgroundTask(
        send_templated, settings, to=to, locale=locale, template=template, context=context
    )


async def signup_form(request: Request) -> Response:
    return render(request, "accounts/signup.html", {"form": forms.Parsed(None)})


async def signup(request: Request) -> Response:
    form = await forms.parse(request, forms.Signup.validate)
    if form.data is None:
        return render(request, "accounts/signup.html", {"form": form}, 400)
    data, now, ip = form.data, request.state.now, client_ip(request)
    password_hash = await passwords.hash_password(data.password)
    async with request.app.state.database.write() as conn:
        user_id = await accounts.register(
            conn, name=data.name, email=data.email, password_hash=password_hash,
            locale=data.locale, now=now,
        )  # fmt: skip
        # A taken address (user_id None) counts against the client's mail cap all the same.
        token = await accounts.issue_mailed_token(conn, user_id, "verify", ip=ip, now=now)
    # A taken address gets the very same answer: sign-up must not reveal who has an account.
    response = redirect(request, "/login", "signed_up")
    if token is not None:
        response.background = mail_task(
            request, to=data.email, name=data.name, locale=data.locale, template="verify",
            path=f"/verify?token={token}",
        )  # fmt: skip
    return response


async def login_form(request: Request) -> Response:
    context = {
        "form": forms.Parsed(None),
        "next": forms.safe_next(request.query_params.get("next")),
    }
    return render(request, "accounts/login.html", context)


async def login(request: Request) -> Response:
    form = await forms.parse(request, forms.Login.validate)
    next_url = forms.safe_next(form.values.get("next"))
    if form.data is None:
        return render(request, "accounts/login.html", {"form": form, "next": next_url}, 400)
    new = await log_in(
        request.app.state.database, email=form.data.email, password=form.data.password,
        ip=client_ip(request), now=request.state.now,
        old_id_hash=auth.session_of(request).id_hash,
    )  # fmt: skip
    if new is None:
        # One message for both cases: which half was wrong would tell who has an account.
        form.errors["email"] = [
            _("The e-mail address or the password is wrong. Check both and try again.")
        ]
        return render(request, "accounts/login.html", {"form": form, "next": next_url}, 400)
    auth.start_session(request, new)
    return redirect(request, next_url, "logged_in")


async def logout(request: Request) -> Response:
    handle = auth.session_of(request)
    if handle.id_hash is not None:
        async with request.app.state.database.write() as conn:
            await sessions.end_session(conn, handle.id_hash)
    auth.end_session(request)
    return redirect(request, "/", "logged_out")


async def verify_form(request: Request) -> Response:
    token = request.query_params.get("token", "")
    return render(request, "accounts/verify.html", {"token": token})


async def verify(request: Request) -> Response:
    form = await forms.parse(request, forms.TokenOnly.validate)
    token = form.data.token if form.data else ""
    async with request.app.state.database.write() as conn:
        await accounts.verify_email(conn, token, now=request.state.now)
    return redirect(request, "/profile" if request.state.user else "/login", "verified")


async def resend_verification(request: Request) -> Response:
    user = auth.require_user(request)
    if user.email_verified:
        return redirect(request, "/profile")
    async with request.app.state.database.write() as conn:
        # The owner asks: only the account's cap holds, and the answer says so.
        token = await accounts.issue_mailed_token(
            conn, user.id, "verify", ip=client_ip(request), now=request.state.now,
            per_client=False,
        )  # fmt: skip
    if token is None:
        return redirect(request, "/profile", "mail_limit")
    response = redirect(request, "/profile", "verify_sent")
    response.background = mail_task(
        request, to=user.email, name=user.name, locale=user.locale, template="verify",
        path=f"/verify?token={token}",
    )  # fmt: skip
    return response


async def reset_request_form(request: Request) -> Response:
    return render(request, "accounts/reset_request.html", {"form": forms.Parsed(None)})


async def reset_request(request: Request) -> Response:
    form = await forms.parse(request, forms.EmailOnly.validate)
    if form.data is None:
        return render(request, "accounts/reset_request.html", {"form": form}, 400)
    async with request.app.state.database.write() as conn:
        found = await accounts.request_reset(
            conn, form.data.email, ip=client_ip(request), now=request.state.now
        )
    response = redirect(request, "/login", "reset_sent")
    if found is not None:
        user, token = found
        response.background = mail_task(
            request, to=user.email, name=user.name, locale=user.locale, template="reset",
            path=f"/reset/confirm?token={token}",
        )  # fmt: skip
    return response


async def reset_form(request: Request) -> Response:
    token = request.query_params.get("token", "")
    async with request.app.state.database.read() as conn:
        await accounts.check_reset_token(conn, token, now=request.state.now)
    return render(request, "accounts/reset.html", {"form": forms.Parsed(None), "token": token})


async def reset(request: Request) -> Response:
    form = await forms.parse(request, forms.NewPassword.validate)
    token = form.values.get("token", "")
    if form.data is None:
        return render(request, "accounts/reset.html", {"form": form, "token": token}, 400)
    password_hash = await passwords.hash_password(form.data.password)
    async with request.app.state.database.write() as conn:
        await accounts.reset_password(
            conn, form.data.token, password_hash=password_hash, now=request.state.now
        )
    auth.end_session(request)
    return redirect(request, "/login", "password_reset")


routes = [
    Route("/signup", signup_form, methods=["GET"], name="signup_form"),
    Route("/signup", signup, methods=["POST"], name="signup"),
    Route("/login", login_form, methods=["GET"], name="login_form"),
    Route("/login", login, methods=["POST"], name="login"),
    Route("/logout", logout, methods=["POST"], name="logout"),
    Route("/verify", verify_form, methods=["GET"], name="verify_form"),
    Route("/verify", verify, methods=["POST"], name="verify"),
    Route("/verify/resend", resend_verification, methods=["POST"], name="verify_resend"),
    Route("/reset", reset_request_form, methods=["GET"], name="reset_request_form"),
    Route("/reset", reset_request, methods=["POST"], name="reset_request"),
    Route("/reset/confirm", reset_form, methods=["GET"], name="reset_form"),
    Route("/reset/confirm", reset, methods=["POST"], name="reset"),
]
