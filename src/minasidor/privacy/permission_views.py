"""The citizen's temporary permission for customer service: give one, see it, end it (decision 0126)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from kernel import clock
from minasidor.identity.decorators import citizen_required
from minasidor.identity.types import Identity
from minasidor.privacy.context_processors import SESSION_CODE, SESSION_MARK
from minasidor.privacy.forms import PermissionForm
from minasidor.temporary_access.selectors import permission_live_for_citizen
from minasidor.temporary_access.services import permission_end, permission_give
from minasidor.temporary_access.types import Scope

PAGE_TITLE = _("Temporary permission for customer service")


@require_http_methods(["GET", "POST"])
@citizen_required
def permission(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The live permission with its code (until customer service entered it), or the form to give one."""
    if identity.personal_number is None:
        return render(request, "privacy/permission.html", {"page_title": PAGE_TITLE, "no_number": True})
    form = PermissionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        given = permission_give(
            identity=identity, scopes=form.cleaned_data["scopes"], minutes=form.cleaned_data["minutes"]
        )
        request.session[SESSION_MARK] = True
        request.session[SESSION_CODE] = {"reference": str(given.permission.reference), "code": given.code}
        return redirect("privacy:permission")
    live = permission_live_for_citizen(identity=identity)
    context = {"page_title": PAGE_TITLE, "form": form, "live": live}
    if live is not None:
        kept = request.session.get(SESSION_CODE) or {}
        if (
            live.taken_at is None
            and kept.get("reference") == str(live.reference)
            and live.code_expires_at > clock.now()
        ):
            context["code"] = f"{kept['code'][:3]} {kept['code'][3:]}"
            context["code_expires_at"] = live.code_expires_at
        context["scope_labels"] = [Scope(scope).label for scope in live.scope_list]
    return render(request, "privacy/permission.html", context)


@require_POST
@citizen_required
def permission_end_now(request: HttpRequest, identity: Identity) -> HttpResponse:
    """End the citizen's permission at once."""
    if permission_end(identity=identity, reference=request.POST.get("reference", "")):
        request.session.pop(SESSION_CODE, None)
        messages.success(request, _("The permission has ended. Customer service can no longer see your data."))
    return redirect("privacy:permission")
