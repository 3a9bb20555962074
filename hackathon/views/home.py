"""The home page: the current event, its dates and its cities."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hackathon.queries import events as events_q


async def home(request: Request) -> Response:
    async with request.app.state.database.read() as conn:
        event = await events_q.find_current_event(conn)
        sites = await events_q.list_sites(conn, event.id) if event is not None else []
    return request.app.state.templates.TemplateResponse(
        request, "home.html", {"event": event, "sites": sites}
    )


routes = [Route("/", home, name="home")]
