"""HTML of the virtual BankID app: plain server-rendered pages, no scripts, no external resources."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from simulators.bankid.orders import Order
from simulators.bankid.persons import all_persons

CSS = """
:root { font-family: system-ui, sans-serif; color: #0b0c0c; background: #fff; line-height: 1.5; }
body { margin: 0 auto; max-width: 42rem; padding: 1rem; }
h1 { font-size: 1.75rem; } h2 { font-size: 1.25rem; margin-top: 2rem; }
.banner { background: #fff4d6; border-left: 6px solid #8a5a00; padding: 0.5rem 1rem; }
fieldset { border: 1px solid #505a5f; margin: 0 0 1rem; padding: 0.5rem 1rem; }
label, legend { font-weight: 600; display: block; margin-bottom: 0.25rem; }
.choice label { display: inline; font-weight: 400; margin-left: 0.25rem; }
input[type=text], textarea { width: 100%; box-sizing: border-box; font: inherit; padding: 0.4rem;
  border: 2px solid #0b0c0c; }
.hint { color: #505a5f; margin: 0 0 0.5rem; }
button { font: inherit; padding: 0.5rem 1rem; margin: 0 0.5rem 0.5rem 0; border: 2px solid #0b0c0c;
  background: #00703c; color: #fff; cursor: pointer; }
button.secondary { background: #f3f2f1; color: #0b0c0c; }
button.warning { background: #d4351c; }
:focus { outline: 3px solid #fd0; outline-offset: 0; box-shadow: 0 0 0 6px #0b0c0c; }
.error-summary { border: 4px solid #d4351c; padding: 1rem; margin-bottom: 1rem; }
.error-message { color: #d4351c; font-weight: 600; margin: 0 0 0.5rem; }
.data { white-space: pre-wrap; border-left: 4px solid #1d70b8; padding: 0.5rem 1rem; background: #f3f2f1; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
dt { font-weight: 600; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
"""

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


@dataclass(frozen=True)
class FieldError:
    """An error on one field: shown in the summary (linked) and next to the field."""

    field_id: str
    message: str


def page(*, title: str, body: str, error: FieldError | None = None) -> str:
    """A whole page; the title says when there is an error, and the summary comes first."""
    full_title = f"Error: {title}" if error else title
    summary = ""
    if error:
        summary = (
            '<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">'
            '<h2 id="error-summary-title">There is a problem</h2>'
            f'<ul><li><a href="#{escape(error.field_id)}">{escape(error.message)}</a></li></ul></div>'
        )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(full_title)} – BankID test server</title>"
        '<link rel="stylesheet" href="/static/app.css"></head><body>'
        '<header><p class="banner"><strong>Test tool.</strong> This virtual BankID app only works with the '
        "local BankID test server. Test persons only.</p></header>"
        f"<main>{summary}<h1>{escape(title)}</h1>{body}</main></body></html>"
    )


def _error_for(error: FieldError | None, field_id: str, *, hint_id: str = "") -> tuple[str, str]:
    """(error paragraph, ARIA attributes) for a field, describing it by its hint and its error."""
    described = [hint_id] if hint_id else []
    if error is None or error.field_id != field_id:
        return "", f' aria-describedby="{hint_id}"' if hint_id else ""
    described.append(f"{field_id}-error")
    return (
        f'<p class="error-message" id="{field_id}-error"><span class="visually-hidden">Error:</span> '
        f"{escape(error.message)}</p>",
        f' aria-describedby="{" ".join(described)}" aria-invalid="true"',
    )


def person_fieldset(prefix: str, error: FieldError | None, *, selected: str | None = None) -> str:
    """Radio buttons for the test persons."""
    message, aria = _error_for(error, f"{prefix}-person")
    choices = []
    persons = all_persons()
    for index, person in enumerate(persons):
        input_id = f"{prefix}-person" if index == 0 else f"{prefix}-person-{index}"
        checked = " checked" if person.personal_number == (selected or persons[0].personal_number) else ""
        choices.append(
            f'<div class="choice"><input type="radio" id="{input_id}" name="personalNumber" '
            f'value="{person.personal_number}"{checked}{aria}>'
            f'<label for="{input_id}">{escape(person.name)} ({person.personal_number})</label></div>'
        )
    return f"<fieldset><legend>Act as test person</legend>{message}{''.join(choices)}</fieldset>"


def home(
    *, error: FieldError | None = None, values: dict[str, str] | None = None, autostart: str = "", redirect: str = ""
) -> str:
    """The start page: scan a QR code, open an autostart link, or take a phone order."""
    values = values or {}
    qr_message, qr_aria = _error_for(error, "qrData", hint_id="qrData-hint")
    link_message, link_aria = _error_for(error, "autostart", hint_id="autostart-hint")
    opened = ""
    if autostart:
        opened = (
            "<h2>The service wants to open BankID on this device</h2>"
            '<form method="post" action="/open">'
            f'<input type="hidden" name="autostart" value="{escape(autostart)}">'
            f'<input type="hidden" name="redirect" value="{escape(redirect)}">'
            f"{person_fieldset('opened', error, selected=values.get('personalNumber'))}"
            "<button>Open the order</button></form>"
        )
    body = (
        f"{opened}"
        '<h2 id="scan-heading">Scan a QR code</h2>'
        '<form method="post" action="/scan" enctype="multipart/form-data" aria-labelledby="scan-heading">'
        '<label for="qrData">QR code content</label>'
        '<p class="hint" id="qrData-hint">Paste the text the QR code holds (bankid.…), or leave this empty '
        "and choose a picture of the QR code below. The code changes every second: use it at once.</p>"
        f'{qr_message}<textarea id="qrData" name="qrData" rows="3"{qr_aria}>'
        f"{escape(values.get('qrData', ''))}</textarea>"
        '<label for="qrImage">Picture of the QR code (optional)</label>'
        '<p class="hint" id="qrImage-hint">A screenshot in PNG, JPEG or GIF.</p>'
        '<input type="file" id="qrImage" name="qrImage" accept="image/png,image/jpeg,image/gif" '
        'aria-describedby="qrImage-hint">'
        f"{person_fieldset('scan', error, selected=values.get('personalNumber'))}"
        "<button>Scan</button></form>"
        '<h2 id="open-heading">Open an autostart link</h2>'
        '<form method="post" action="/open" aria-labelledby="open-heading">'
        '<label for="autostart">Autostart link or token</label>'
        '<p class="hint" id="autostart-hint">For example bankid:///?autostarttoken=… or just the token.</p>'
        f'{link_message}<input type="text" id="autostart" name="autostart"{link_aria} '
        f'value="{escape(values.get("autostart", ""))}">'
        f"{person_fieldset('open', error, selected=values.get('personalNumber'))}"
        "<button>Open</button></form>"
        '<h2 id="phone-heading">Take a phone order</h2>'
        '<form method="post" action="/phone" aria-labelledby="phone-heading">'
        f"{person_fieldset('phone', error, selected=values.get('personalNumber'))}"
        "<button>Take the order</button></form>"
    )
    return page(title="Virtual BankID app", body=body, error=error)


_STEP_TEXT = {
    "started": "The app has started. Choose who you are to continue.",
    "userCallConfirm": "Are you in a phone call with this service?",
    "userMrtd": "Scan your passport or national ID card.",
    "userSign": "Enter your security code to continue.",
}


def _action_buttons(order: Order) -> str:
    hint = order.hint_code or ""
    cancel = '<button class="secondary" name="action" value="cancel">Cancel</button>'
    if hint == "userCallConfirm":
        return (
            '<button name="action" value="confirmCall">Yes, I am in a call</button>'
            '<button class="warning" name="action" value="declineCall">No, I am not in a call</button>'
            f"{cancel}"
        )
    if hint == "userMrtd":
        return (
            '<button name="action" value="scanDocument">Scan the document</button>'
            '<button class="warning" name="action" value="scanDocumentFailed">Document check fails</button>'
            f"{cancel}"
        )
    verb = "Sign" if order.request.kind.is_sign else "Identify"
    return (
        f'<button name="action" value="approve">{verb}</button>'
        '<button class="warning" name="action" value="wrongCode">Enter a wrong security code</button>'
        f"{cancel}"
    )


def order_page(order: Order, *, visible_text: str | None, error: FieldError | None = None) -> str:
    """One order as the app shows it, with what the user can do now."""
    verb = "Sign" if order.request.kind.is_sign else "Identify"
    facts = (
        "<dl>"
        f"<dt>Service</dt><dd>{escape(order.request.rp_display_name or 'Unknown')}</dd>"
        f"<dt>Person</dt><dd>{escape(order.person.name) if order.person else 'Not chosen'}</dd>"
        f"<dt>Status</dt><dd>{escape(order.status)}{' – ' + escape(order.hint_code) if order.hint_code else ''}</dd>"
        "</dl>"
    )
    if visible_text:
        heading = "My intent" if not order.request.kind.is_sign else "You are signing"
        facts += f'<h2>{heading}</h2><p class="data">{escape(visible_text)}</p>'
    if not order.is_pending:
        body = facts + '<p><a href="/">Back to the start page</a></p>'
        return page(title=f"{verb}: order {'complete' if order.status == 'complete' else 'failed'}", body=body)
    action = f"/orders/{escape(order.order_ref)}"
    if order.person is None:
        form = (
            f'<form method="post" action="{action}/person">'
            f"{person_fieldset('started', error)}<button>Continue</button></form>"
        )
    else:
        ip_message, ip_aria = _error_for(error, "deviceIp")
        risk_choices = "".join(
            f'<div class="choice"><input type="radio" id="risk{"" if i == 0 else "-" + level}" name="risk" '
            f'value="{level}"{" checked" if i == 0 else ""}><label for="risk{"" if i == 0 else "-" + level}">'
            f"{level}</label></div>"
            for i, level in enumerate(("low", "moderate", "high"))
        )
        form = (
            f'<form method="post" action="{action}/act">'
            '<label for="deviceIp">IP address of this device, as BankID sees it</label>'
            f'{ip_message}<input type="text" id="deviceIp" name="deviceIp" value="{escape(order.device_ip or "")}"'
            f"{ip_aria}>"
            f"<fieldset><legend>Risk BankID computes</legend>{risk_choices}</fieldset>"
            f"{_action_buttons(order)}</form>"
        )
    step = _STEP_TEXT.get(order.hint_code or "", "")
    body = facts + (f"<p>{escape(step)}</p>" if step else "") + form
    return page(title=f"{verb} with BankID", body=body, error=error)
