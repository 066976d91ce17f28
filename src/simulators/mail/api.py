"""The HTTP side: a page listing the received messages, a JSON API to read them, and a control API.

- ``GET /``: the messages, newest first, for a person trying the portal (``make run``);
- ``GET /api/messages`` (``?to=ADDRESS`` filters by recipient), ``GET /api/messages/{number}``,
  ``GET /api/messages/{number}/raw`` (``message/rfc822``), ``DELETE /api/messages``;
- ``POST /control/refuse`` ``{"count": n, "code": 451|554}``: refuse the next n messages at DATA;
  ``POST /control/reset``: forget messages and refusals.
"""

from __future__ import annotations

import html
import json

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from simulators.mail.mailbox import Mailbox


def _page(mailbox: Mailbox) -> str:
    rows = []
    for message in reversed(mailbox.messages()):
        summary = message.summary()
        rows.append(
            "<article><h2>{subject}</h2><p>{when} · to {to} · "
            '<a href="/api/messages/{number}/raw">raw</a></p><pre>{text}</pre></article>'.format(
                subject=html.escape(summary["subject"] or "(no subject)"),
                when=html.escape(summary["received_at"]),
                to=html.escape(", ".join(summary["recipients"])),
                number=summary["number"],
                text=html.escape(summary["text"]),
            )
        )
    body = "\n".join(rows) or "<p>No messages yet.</p>"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Mail test server</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<style>body{font-family:sans-serif;max-width:50rem;margin:1rem auto;padding:0 1rem}"
        "pre{white-space:pre-wrap;background:#f3f2f1;padding:.5rem}</style></head>"
        f"<body><h1>Mail test server: received messages</h1>{body}</body></html>"
    )


def build_app(mailbox: Mailbox) -> Starlette:
    """The Starlette application over ``mailbox``."""

    async def page(request: Request) -> Response:
        return HTMLResponse(_page(mailbox), headers={"Cache-Control": "no-store"})

    async def messages(request: Request) -> Response:
        if request.method == "DELETE":
            mailbox.reset()
            return Response(status_code=204)
        recipient = request.query_params.get("to", "").lower()
        found = [
            message.summary()
            for message in mailbox.messages()
            if not recipient or recipient in (r.lower() for r in message.recipients)
        ]
        return JSONResponse({"messages": found})

    def _message(request: Request) -> Response | None:
        try:
            number = int(request.path_params["number"])
        except ValueError:
            return None
        message = mailbox.get(number)
        if message is None:
            return None
        if request.url.path.endswith("/raw"):
            return Response(message.raw, media_type="message/rfc822")
        return JSONResponse(message.summary())

    async def one(request: Request) -> Response:
        return _message(request) or JSONResponse({"error": "notFound"}, status_code=404)

    async def refuse(request: Request) -> Response:
        try:
            body = json.loads(await request.body())
            mailbox.refuse(int(body.get("count", 1)), int(body.get("code", 451)))
        except (ValueError, TypeError, AttributeError) as error:
            return JSONResponse({"error": "invalidParameters", "message": str(error)}, status_code=400)
        return JSONResponse({"ok": True})

    async def reset(request: Request) -> Response:
        mailbox.reset()
        return JSONResponse({"ok": True})

    return Starlette(
        routes=[
            Route("/", page),
            Route("/api/messages", messages, methods=["GET", "DELETE"]),
            Route("/api/messages/{number}", one),
            Route("/api/messages/{number}/raw", one),
            Route("/control/refuse", refuse, methods=["POST"]),
            Route("/control/reset", reset, methods=["POST"]),
        ]
    )
