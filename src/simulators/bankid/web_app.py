"""Routes of the virtual BankID app's HTML pages (redirect after every successful POST)."""

from __future__ import annotations

import email.policy
from email.parser import BytesParser
from urllib.parse import parse_qs, urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from simulators.bankid import app_actions
from simulators.bankid.errors import AppError
from simulators.bankid.qr_image import read_qr_text
from simulators.bankid.simulator import Simulator
from simulators.bankid.web_pages import CSS, SECURITY_HEADERS, FieldError, home, order_page


def _html(content: str, *, status: int = 200) -> HTMLResponse:
    return HTMLResponse(content, status_code=status, headers=SECURITY_HEADERS)


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers=SECURITY_HEADERS)


async def _form(request: Request) -> dict[str, str]:
    """A urlencoded form as single values."""
    fields, _ = await _form_with_files(request)
    return fields


async def _form_with_files(request: Request) -> tuple[dict[str, str], dict[str, bytes]]:
    """Fields and uploaded files of a urlencoded or multipart form (parsed with the standard library)."""
    body = await request.body()
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raw = body.decode("utf-8", errors="replace")
        return {key: values[0] for key, values in parse_qs(raw, keep_blank_values=True).items()}, {}
    message = BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    fields: dict[str, str] = {}
    files: dict[str, bytes] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        if part.get_filename() is not None:
            files[name] = data
        else:
            fields[name] = data.decode("utf-8", errors="replace")
    return fields, files


def autostart_token(link: str) -> tuple[str, str | None]:
    """The token (and redirect) from an autostart link, or the text itself if it is a bare token."""
    text = link.strip()
    if "autostarttoken=" not in text:
        return text, None
    query = parse_qs(urlsplit(text).query)
    token = query.get("autostarttoken", [""])[0]
    redirect = query.get("redirect", [None])[0]
    return token, redirect


def _decoded(value: str | None) -> str | None:
    return app_actions.decoded_text(value)


class VirtualAppPages:
    """The HTML pages a person uses as the BankID app."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim

    async def start_page(self, request: Request) -> Response:
        return _html(
            home(
                autostart=request.query_params.get("autostarttoken", ""),
                redirect=request.query_params.get("redirect", ""),
            )
        )

    async def stylesheet(self, request: Request) -> Response:
        return Response(CSS, media_type="text/css", headers=SECURITY_HEADERS)

    async def scan(self, request: Request) -> Response:
        form, files = await _form_with_files(request)
        try:
            qr_data = form.get("qrData", "").strip()
            if not qr_data and files.get("qrImage"):
                qr_data = read_qr_text(files["qrImage"])
            order = app_actions.scan(self.sim.book, qr_data=qr_data, personal_number=form.get("personalNumber"))
        except AppError as error:
            field = "scan-person" if error.code == "unknownPerson" else "qrData"
            return _html(home(error=FieldError(field, error.message), values=form), status=400)
        return _see_other(f"/orders/{order.order_ref}")

    async def open_(self, request: Request) -> Response:
        form = await _form(request)
        token, redirect = autostart_token(form.get("autostart", ""))
        try:
            order = app_actions.open_autostart(
                self.sim.book,
                auto_start_token=token,
                personal_number=form.get("personalNumber"),
                redirect=form.get("redirect") or redirect,
            )
        except AppError as error:
            field = "open-person" if error.code == "unknownPerson" else "autostart"
            return _html(home(error=FieldError(field, error.message), values=form), status=400)
        return _see_other(f"/orders/{order.order_ref}")

    async def phone(self, request: Request) -> Response:
        form = await _form(request)
        try:
            order = app_actions.take_phone_order(self.sim.book, personal_number=form.get("personalNumber"))
        except AppError as error:
            return _html(home(error=FieldError("phone-person", error.message), values=form), status=400)
        return _see_other(f"/orders/{order.order_ref}")

    async def show(self, request: Request) -> Response:
        order = self.sim.book.get(request.path_params["order_ref"])
        if order is None:
            return _html(home(error=FieldError("qrData", "That order no longer exists.")), status=404)
        return _html(order_page(order, visible_text=_decoded(order.request.user_visible_data)))

    async def choose_person(self, request: Request) -> Response:
        order_ref = request.path_params["order_ref"]
        order = self.sim.book.get(order_ref)
        if order is None:
            return _see_other(f"/orders/{order_ref}")
        form = await _form(request)
        try:
            app_actions.open_autostart(
                self.sim.book, auto_start_token=order.auto_start_token, personal_number=form.get("personalNumber")
            )
        except AppError as error:
            page = order_page(
                order,
                visible_text=_decoded(order.request.user_visible_data),
                error=FieldError("started-person", error.message),
            )
            return _html(page, status=400)
        return _see_other(f"/orders/{order_ref}")

    async def act(self, request: Request) -> Response:
        order_ref = request.path_params["order_ref"]
        form = await _form(request)
        choice = form.get("action", "")
        action_name = "scanDocument" if choice == "scanDocumentFailed" else choice
        try:
            action = app_actions.Action(action_name)
            options = app_actions.ActionOptions(
                device_ip=form.get("deviceIp") or None,
                risk=form.get("risk", "low"),
                mrtd_passed=choice != "scanDocumentFailed",
            )
            order = app_actions.act(self.sim.book, order_ref=order_ref, action=action, options=options)
        except (AppError, ValueError) as error:
            current = self.sim.book.get(order_ref)
            if current is None:
                return _see_other(f"/orders/{order_ref}")
            message = error.message if isinstance(error, AppError) else "Choose what to do."
            page = order_page(
                current,
                visible_text=_decoded(current.request.user_visible_data),
                error=FieldError("deviceIp", message),
            )
            return _html(page, status=400)
        target = app_actions.return_url(order)
        return _see_other(target or f"/orders/{order_ref}")

    def routes(self) -> list[Route]:
        return [
            Route("/", self.start_page, methods=["GET"]),
            Route("/static/app.css", self.stylesheet, methods=["GET"]),
            Route("/scan", self.scan, methods=["POST"]),
            Route("/open", self.open_, methods=["POST"]),
            Route("/phone", self.phone, methods=["POST"]),
            Route("/orders/{order_ref}", self.show, methods=["GET"]),
            Route("/orders/{order_ref}/person", self.choose_person, methods=["POST"]),
            Route("/orders/{order_ref}/act", self.act, methods=["POST"]),
        ]


def html_routes(sim: Simulator) -> list[Route]:
    """Routes of the HTML app."""
    return VirtualAppPages(sim).routes()
