"""The acting guard: what a delegate acting for someone may open, checked at every citizen page (decision 0180).

Registered with ``identity.session.acting_guard_register`` by this app. It reads the power of attorney anew at
every page (one query), so a power ended by either side, or run out, ends the acting at the delegate's next
request. Pages are allowed by name, scope by scope: a page nobody listed here is refused, so a new page is
closed to delegates until someone decides which scope opens it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from minasidor.delegation.selectors import scopes_live
from minasidor.delegation.types import Scope
from minasidor.identity.session import ACTING_KEY
from minasidor.identity.types import Acting, Identity

APPLICATION_PAGES = (
    "start",
    "parts",
    "income-pension",
    "premium-pension",
    "civil-status",
    "survivor-protection",
    "living-abroad",
    "tax",
    "account",
    "summary",
    "sign",
    "signed",
    "submitted",
    "submitted-retry",
    "receipt",
    # The housing supplement application and the change of withdrawal, signed the same way (decision 0217).
    "housing",
    "housing-summary",
    "housing-sign",
    "housing-signed",
    "withdrawal",
    "withdrawal-kind",
    "withdrawal-parts",
    "withdrawal-share",
    "withdrawal-month",
    "withdrawal-summary",
    "withdrawal-sign",
    "withdrawal-signed",
)
SIGNING_PAGES = (
    "start",
    "cancel",
    "bankid-start",
    "bankid-progress",
    "bankid-status",
    "bankid-qr",
    "bankid-returned",
    "bankid-proceed",
    # A delegate logged in with a Swedish e-ID over SAML signs at the signature service (the signer is the
    # delegate, signing_step.views._signer); its answer is posted cross-site to a page without a login.
    "sigservice-start",
    "sigservice-complete",
)
# The pages each scope opens, by URL name. Everything else behind the login is refused while acting.
PAGES_BY_SCOPE: dict[Scope, frozenset[str]] = {
    Scope.PENSION: frozenset({"pensions:home", "pensions:refresh", "pensions:statement-pdf", "pensions:min-pension"}),
    Scope.FORECAST: frozenset({"pensions:forecast", "pensions:forecast-pdf"}),
    Scope.CASES: frozenset({"cases:list", "cases:detail", "cases:attachment", "cases:decision-letter"}),
    # Applying for old-age pension, housing supplement or a change of withdrawal for the person, signed by the
    # delegate with their own e-ID (decisions 0216, 0217): the applications' pages and the signing step's.
    Scope.APPLY: frozenset(
        {
            *(f"applications:{name}" for name in APPLICATION_PAGES),
            *(f"signing_step:{name}" for name in SIGNING_PAGES),
        }
    ),
}
# The delegate's own way out, open whatever the scope.
ALWAYS_OPEN = frozenset({"delegation:acting-stop"})
# The pages a delegate may send a form to (every other page is only looked at), and, where one page holds
# several forms, which of them (by its ``action``): answering a case, never withdrawing it.
POSTS_OPEN: dict[str, frozenset[str] | None] = {
    "pensions:forecast": None,
    "pensions:refresh": None,
    "cases:detail": frozenset({"message", "completion"}),
    "delegation:acting-stop": None,
    **{f"applications:{name}": None for name in APPLICATION_PAGES},
    **{f"signing_step:{name}": None for name in SIGNING_PAGES},
}
_LOOKING = ("GET", "HEAD")


def pages_open(scopes: tuple[str, ...]) -> frozenset[str]:
    """Every page name a delegate with ``scopes`` may open."""
    names: set[str] = set(ALWAYS_OPEN)
    for scope in scopes:
        names |= PAGES_BY_SCOPE.get(Scope(scope), frozenset())
    return frozenset(names)


def acting_guard(request: HttpRequest, identity: Identity, data: dict[str, Any]) -> Acting | HttpResponse:
    """What the delegate ``identity`` may do for the person in ``data`` on this page, or the page saying no."""
    scopes = scopes_live(reference=str(data.get("reference", "")), delegate_ref=identity.pseudonym)
    name = " ".join(part for part in (data.get("given_name", ""), data.get("family_name", "")) if part)
    if scopes is None:
        request.session.pop(ACTING_KEY, None)
        return render(
            request,
            "delegation/acting_ended.html",
            {"page_title": gettext("The power of attorney has ended")},
            status=403,
        )
    match = request.resolver_match
    view_name = match.view_name if match is not None else ""
    values = tuple(scope.value for scope in scopes)
    if view_name not in pages_open(values) or not _post_open(request, view_name):
        context = {
            "page_title": gettext("This page is not covered by the power of attorney"),
            "acting_name": name,
            "home_open": "pensions:home" in pages_open(values),
        }
        return render(request, "delegation/outside_scope.html", context, status=403)
    request.acting_pages_open = pages_open(values)  # type: ignore[attr-defined]  # for the menu (context_processors)
    return Acting(
        delegate_pseudonym=identity.pseudonym,
        delegate_name=identity.display_name,
        reference=str(data["reference"]),
        scopes=values,
        delegate_number=identity.personal_number,
    )


def _post_open(request: HttpRequest, view_name: str) -> bool:
    """Whether the delegate may send this request to the page: looking always; a form only where listed."""
    if request.method in _LOOKING:
        return True
    if view_name not in POSTS_OPEN:
        return False
    actions = POSTS_OPEN[view_name]
    return actions is None or request.POST.get("action", "") in actions
