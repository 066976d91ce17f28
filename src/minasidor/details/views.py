"""My details (Mina uppgifter): the address as the population register has it, the contact details, the
language of letters, the payment account and the tax withholding — and the pages that change them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from minasidor.details import services
from minasidor.details.account import (
    NEW_ACCOUNT_KEY,
    RECEIPT_KEY,
    account_change_apply,
    account_document,
    new_account,
    new_account_keep,
)
from minasidor.details.accounts import account_masked
from minasidor.details.forms import (
    ContactForm,
    LanguageForm,
    PostalAddressForm,
    TaxWithholdingForm,
    errors_from_register,
)
from minasidor.details.selectors import MyDetails, details_get
from minasidor.identity.decorators import citizen_required
from minasidor.identity.session import current_identity
from minasidor.identity.types import Identity
from minasidor.registers.types import (
    ContactDetails,
    EmailConfirmationOutcome,
    InvalidChangeError,
    PaymentAccount,
    PersonNotFoundError,
    PostalAddress,
    RegistersUnavailableError,
)
from minasidor.signing_step.flow import sign_begin, signature_keep, signature_take
from minasidor.ui.bank_account_forms import SwedishAccountForm

OVERVIEW_TITLE = _("My details")
SKATTEVERKET_MOVING_URL = "https://www.skatteverket.se/privat/folkbokforing/flyttanmalan"
UNAVAILABLE = _("Nothing was changed: we could not reach our systems right now. Please try again in a while.")
# A confirmation link opened before logging in: kept in the session until the citizen has logged in.
TOKEN_KEY = "details_email_token"  # noqa: S105  # nosec B105 - a session key, not a secret


@require_safe
@citizen_required
def overview(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Everything the authority knows of how to reach and pay the citizen, with where to change each."""
    details = details_get(identity=identity)
    records = details.records
    account = None if records is None else records.payment_account
    context = {
        "page_title": OVERVIEW_TITLE,
        "details": details,
        "contact": None if records is None else records.contact_details,
        "account": account,
        "account_masked": "" if account is None else account_masked(account),
        "tax": None if records is None else records.tax_settings,
        "skatteverket_url": SKATTEVERKET_MOVING_URL,
        "phone": settings.CUSTOMER_SERVICE_PHONE,
        "token_waiting": bool(request.session.get(TOKEN_KEY)),
    }
    return render(request, "details/overview.html", context, status=503 if details.unavailable else 200)


def _contact_or_away(identity: Identity) -> tuple[MyDetails, ContactDetails | None]:
    details = details_get(identity=identity)
    return details, None if details.records is None else details.records.contact_details


def _change_page(
    request: HttpRequest,
    identity: Identity,
    *,
    form_class: type[forms.Form],
    initial: Callable[[ContactDetails], dict[str, Any]],
    save: Callable[[ContactDetails, dict[str, Any]], ContactDetails],
    template: str,
    title: Any,
    done: Any,
) -> HttpResponse:
    """A page that changes part of the contact details: the form with what is registered, checked here and by
    the back office; on any refusal the citizen's answers are shown again with the reason at the field."""
    _details, contact = _contact_or_away(identity)
    if contact is None:
        return redirect("details:overview")
    form = form_class(request.POST if request.method == "POST" else None, initial=initial(contact))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            save(contact, form.cleaned_data)
        except InvalidChangeError as error:
            errors_from_register(form, error.errors)
        except RegistersUnavailableError:
            form.add_error(None, UNAVAILABLE)
            status = 503
        else:
            messages.success(request, done)
            return redirect("details:overview")
    context = {"page_title": title, "form": form, "contact": contact}
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
@citizen_required
def contact(request: HttpRequest, identity: Identity) -> HttpResponse:
    """E-mail, phone and notices. A new e-mail address is used once confirmed by the link sent to it."""

    def save(current: ContactDetails, data: dict[str, Any]) -> ContactDetails:
        return services.contact_details_change(
            identity=identity,
            current=current,
            email=data["email"],
            phone=data["phone"],
            notice_choice=data["notice_choice"],
        )

    return _change_page(
        request,
        identity,
        form_class=ContactForm,
        initial=lambda c: {"email": c.pending_email or c.email, "phone": c.phone, "notice_choice": c.notice_choice},
        save=save,
        template="details/contact.html",
        title=_("E-mail, phone and notices"),
        done=_("Your contact details are saved. If you gave a new e-mail address, confirm it by the link we sent."),
    )


@require_http_methods(["GET", "POST"])
@citizen_required
def language(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The language of letters and notices."""
    return _change_page(
        request,
        identity,
        form_class=LanguageForm,
        initial=lambda c: {"language": c.language},
        save=lambda current, data: services.contact_details_change(
            identity=identity, current=current, language=data["language"]
        ),
        template="details/language.html",
        title=_("Language of letters"),
        done=_("The language of your letters and notices is saved."),
    )


@require_http_methods(["GET", "POST"])
@citizen_required
def postal_address(request: HttpRequest, identity: Identity) -> HttpResponse:
    """A special postal address, or removing it (the button ``remove``)."""
    if request.method == "POST" and request.POST.get("action") == "remove":
        _details, current = _contact_or_away(identity)
        if current is not None:
            try:
                services.contact_details_change(identity=identity, current=current, special_postal_address=None)
            except RegistersUnavailableError:
                messages.error(request, UNAVAILABLE)
                return redirect("details:postal-address")
            messages.success(
                request, _("Your special postal address is removed. Letters go to your registered address.")
            )
        return redirect("details:overview")

    def save(current: ContactDetails, data: dict[str, Any]) -> ContactDetails:
        address = PostalAddress(data["street_address"], data["postal_code"], data["city"], data["country"])
        return services.contact_details_change(identity=identity, current=current, special_postal_address=address)

    def initial(current: ContactDetails) -> dict[str, Any]:
        address = current.special_postal_address
        return (
            {}
            if address is None
            else {
                "street_address": address.street_address,
                "postal_code": address.postal_code,
                "city": address.city,
                "country": address.country,
            }
        )

    return _change_page(
        request,
        identity,
        form_class=PostalAddressForm,
        initial=initial,
        save=save,
        template="details/postal_address.html",
        title=_("Special postal address"),
        done=_("Your special postal address is saved. Our letters go there from now on."),
    )


@require_http_methods(["GET", "POST"])
@citizen_required
def tax(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Tax withholding from the pension: the tax table as usual, or an extra amount each month. Only a person
    whose pension is paid has tax withheld; others are told so."""
    details = details_get(identity=identity)
    if details.no_number or details.unknown:
        return redirect("details:overview")
    current = None if details.records is None else details.records.tax_settings
    form = None
    status = 503 if details.unavailable else 200
    if current is not None:
        initial = {
            "withholding": "extra" if current.extra_withholding else "table",
            "extra_per_month": int(current.extra_withholding) if current.extra_withholding else None,
            "adjustment_reference": current.adjustment_reference,
        }
        form = TaxWithholdingForm(request.POST if request.method == "POST" else None, initial=initial)
        if request.method == "POST" and form.is_valid():
            extra = form.cleaned_data["extra_per_month"] if form.cleaned_data["withholding"] == "extra" else 0
            try:
                services.tax_withholding_change(
                    identity=identity,
                    current=current,
                    extra_per_month=extra or 0,
                    adjustment_reference=form.cleaned_data["adjustment_reference"],
                )
            except InvalidChangeError as error:
                errors_from_register(form, error.errors)
            except RegistersUnavailableError:
                form.add_error(None, UNAVAILABLE)
                status = 503
            else:
                messages.success(
                    request, _("Your tax withholding is saved. It applies from the next payment we have not yet sent.")
                )
                return redirect(reverse("details:overview") + "#tax")
    context = {"page_title": _("Tax on your pension"), "form": form, "tax": current, "details": details}
    return render(request, "details/tax.html", context, status=status)


@require_POST
@citizen_required
def email_link(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Send the confirmation link again."""
    try:
        services.email_link_send(identity=identity)
    except (InvalidChangeError, PersonNotFoundError):  # nothing waiting, or nobody of that number to wait for
        messages.error(request, _("There is no new e-mail address waiting to be confirmed."))
    except RegistersUnavailableError:
        messages.error(request, UNAVAILABLE)
    else:
        messages.success(request, _("We have sent a new link. The link we sent before no longer works."))
    return redirect("details:overview")


_OUTCOMES = {
    EmailConfirmationOutcome.CONFIRMED: (_("Your e-mail address is confirmed"), 200),
    EmailConfirmationOutcome.EXPIRED: (_("The link has expired"), 410),
    EmailConfirmationOutcome.INVALID: (_("The link does not work"), 404),
}


@require_http_methods(["GET", "POST"])
def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The page of the link sent to a new e-mail address. Confirming takes a logged-in owner and a press of the
    button (a mail program that opens links by itself confirms nothing); opened before logging in, the link is
    kept in the session and My details offers to confirm it once the citizen has logged in."""
    identity = current_identity(request)
    if identity is not None and identity.personal_number is None:
        return redirect("details:overview")
    if identity is None:
        request.session[TOKEN_KEY] = token[:128]
        context = {"page_title": _("Confirm your e-mail address"), "login": True}
        return render(request, "details/email_confirm.html", context)
    if request.method == "POST":
        request.session.pop(TOKEN_KEY, None)
        try:
            outcome = services.email_confirm(identity=identity, token=token)
        except PersonNotFoundError:  # a person the register does not know has no link that works
            outcome = EmailConfirmationOutcome.INVALID
        except RegistersUnavailableError:
            messages.error(request, UNAVAILABLE)
            return redirect(request.path)
        title, status = _OUTCOMES[outcome]
        context = {"page_title": title, "outcome": str(outcome)}
        response = render(request, "details/email_confirmed.html", context, status=status)
        response["Cache-Control"] = "no-store"
        return response
    response = render(request, "details/email_confirm.html", {"page_title": _("Confirm your e-mail address")})
    response["Cache-Control"] = "no-store"
    return response


@require_safe
@citizen_required
def email_confirm_waiting(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Back to the link opened before logging in."""
    token = request.session.get(TOKEN_KEY)
    if not token:
        return redirect("details:overview")
    return redirect("details:email-confirm", token=token)


# --- The change of payment account, signed (decision 0161) ---------------------------------------------------


@require_http_methods(["GET", "POST"])
@citizen_required
def account(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The new Swedish account, checked by the banks' rules (the same question as the application's)."""
    if identity.personal_number is None:
        return redirect("details:overview")
    kept = request.session.get(NEW_ACCOUNT_KEY) or {}
    form = SwedishAccountForm(request.POST if request.method == "POST" else None, initial=kept)
    if request.method == "POST" and form.is_valid():
        new_account_keep(request.session, form.cleaned_data["account"])
        return redirect("details:account-summary")
    return render(request, "details/account.html", {"page_title": _("Change of payment account"), "form": form})


@require_http_methods(["GET", "POST"])
@citizen_required
def account_summary(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The old and the new account (masked) before signing; the post sends the citizen to sign."""
    new = new_account(request.session)
    if new is None or identity.personal_number is None:
        return redirect("details:account")
    if request.method == "POST":
        return sign_begin(
            request,
            document=account_document(identity, new),
            return_url=reverse("details:account-signed"),
            cancel_url=reverse("details:account-summary"),
        )
    details = details_get(identity=identity)
    old = None if details.records is None else details.records.payment_account
    shown = PaymentAccount(new.bank_name, new.clearing_number, new.account_number)
    context = {
        "page_title": _("Check and sign the change"),
        "old_account": "" if old is None else account_masked(old),
        "new_account": account_masked(shown),
    }
    return render(request, "details/account_summary.html", context)


@require_safe
@citizen_required
def account_signed(request: HttpRequest, identity: Identity) -> HttpResponse:
    """Where the signing step returns: apply the signed change, then show the receipt."""
    new = new_account(request.session)
    if new is None or identity.personal_number is None:
        return redirect("details:overview")
    document = account_document(identity, new)
    signature = signature_take(request, hash_hex=document.hash_hex)
    if signature is None:
        return redirect("details:account-summary")
    try:
        receipt = account_change_apply(identity=identity, signature=signature)
    except RegistersUnavailableError:
        signature_keep(request, signature)  # kept for the next try: nothing is lost
        context = {"page_title": _("Your change is signed but not yet sent")}
        return render(request, "details/account_not_sent.html", context, status=503)
    except InvalidChangeError:
        messages.error(request, _("We could not register this account. Call customer service."))
        return redirect("details:overview")
    request.session.pop(NEW_ACCOUNT_KEY, None)
    effective = receipt.effective_payment
    request.session[RECEIPT_KEY] = {"effective": None if effective is None else effective.isoformat()}
    return redirect("details:account-done")


@require_safe
@citizen_required
def account_done(request: HttpRequest, identity: Identity) -> HttpResponse:
    """The receipt: the new account is registered, from which payment it is used, who was told."""
    receipt = request.session.get(RECEIPT_KEY)
    if receipt is None:
        return redirect("details:overview")
    effective = None if receipt["effective"] is None else dt.date.fromisoformat(receipt["effective"])
    context = {"page_title": _("Your payment account is changed"), "effective": effective}
    return render(request, "details/account_done.html", context)
