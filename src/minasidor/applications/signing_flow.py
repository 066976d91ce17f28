"""The signing tail every application shares: its document goes to the signing step, and where the step
returns, the signed application is kept and sent once (:func:`~minasidor.applications.services.
signed_application_receive`) and the browser goes to its submitted page.

Each application declares its :class:`SigningFlow` once: its case type, its session keys and its pages.
"""

from __future__ import annotations

import dataclasses

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from minasidor.applications.documents import OnBehalf
from minasidor.applications.services import PowerEndedError, signed_application_receive
from minasidor.identity.session import acting_power_document
from minasidor.identity.types import Identity
from minasidor.registers.types import CaseType
from minasidor.signing.documents import SignableDocument
from minasidor.signing_step.flow import sign_begin, signature_take


def on_behalf_of(identity: Identity) -> OnBehalf | None:
    """Who signs for the person when a delegate acts for them (None when the person signs themself): the
    ``on_behalf`` every application's document carries (decisions 0216, 0217). Raises :class:`PowerEndedError`
    when the delegate's power is no longer in force."""
    if identity.acting is None:
        return None
    power = acting_power_document(identity.acting)
    if power is None or identity.acting.delegate_number is None:
        raise PowerEndedError("no live power of attorney to sign under")
    return OnBehalf(
        delegate=identity.acting.delegate_number,
        delegate_name=identity.acting.delegate_name,
        grantor_name=identity.display_name,
        power_reference=identity.acting.reference,
        power_sha256=power.sha256,
    )


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class SigningFlow:
    """How one application is signed and sent; the names of pages are URL names."""

    case_type: CaseType
    signing_key: str  # the session key keeping the hash of the document sent to be signed
    draft_key: str  # the session key of the draft, forgotten once its document is signed
    start: str  # the application's first page (a return with no document sent goes there)
    summary: str  # the draft's summary (a cancel, or a return with nothing signed, goes there)
    signed: str  # the page the signing step returns to, which calls :meth:`finish`

    def begin(self, request: HttpRequest, document: SignableDocument) -> HttpResponse:
        """Remember ``document``'s hash and send the browser to the signing step."""
        request.session[self.signing_key] = document.hash_hex
        return sign_begin(request, document=document, return_url=reverse(self.signed), cancel_url=reverse(self.summary))

    def finish(self, request: HttpRequest, identity: Identity) -> HttpResponse:
        """Keep and send the document the person signed (once), forget the draft, and show where it is."""
        hash_hex = request.session.get(self.signing_key)
        if not isinstance(hash_hex, str):
            return redirect(self.start)
        signature = signature_take(request, hash_hex=hash_hex)
        try:
            row = signed_application_receive(
                identity=identity,
                sha256=hash_hex,
                signature=signature,
                case_type=self.case_type,
                language=get_language() or "sv",
            )
        except PowerEndedError:  # a delegate's power ended (or changed) while they signed (decision 0216)
            messages.error(request, _("The power of attorney no longer covers this. Nothing was sent."))
            return redirect(self.summary)
        if row is None:
            return redirect(self.summary)
        if signature is not None:
            request.session.pop(self.draft_key, None)
        return redirect("applications:submitted", submission_id=row.pk)
