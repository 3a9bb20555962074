"""Organizer pages: the list of users and their roles, with grant and revoke."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hackathon import auth, forms
from hackathon.domain import accounts
from hackathon.errors import NotFound
from hackathon.queries import accounts as accounts_q
from hackathon.tables import ROLES
from hackathon.views.accounts import redirect, render


async def users_page(request: Request) -> Response:
    user = auth.require(request, auth.can_manage_roles)
    async with request.app.state.database.read() as conn:
        people = await accounts_q.list_users_with_roles(conn)
    return render(request, "admin/users.html", {"me": user, "people": people, "roles": ROLES})


async def change_role(request: Request) -> Response:
    user = auth.require(request, auth.can_manage_roles)
    form = await forms.parse(request, forms.RoleChange.validate)
    if form.data is None:
        raise NotFound("role")
    async with request.app.state.database.write() as conn:
        await accounts.set_role(
            conn, actor_id=user.id, user_id=request.path_params["user_id"],
            role=form.data.role, granted=form.data.granted, now=request.state.now,
        )  # fmt: skip
    return redirect(request, "/admin/users", "roles_saved")


routes = [
    Route("/admin/users", users_page, methods=["GET"], name="admin_users"),
    Route(
        "/admin/users/{user_id:int}/roles", change_role, methods=["POST"], name="admin_user_roles"
    ),
]
