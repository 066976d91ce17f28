"""The citizen orders a paper form by post: through the registers, with its access record."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from minasidor.audit.services import access_record_create
from minasidor.audit.types import Action, Purpose
from minasidor.identity.types import Identity
from minasidor.registers import registers
from minasidor.registers.types import FormOrderChannel, FormOrderReceipt, PaperFormCode

FORM_ORDERED_WEB = Action("form_orders.ordered", _("Ordered a paper form by post"))
FORM_ORDERED: dict[str, Action] = {
    code: Action(f"form_orders.ordered.{code}", format_lazy(_("Ordered the form “{form}” by post"), form=label))
    for code, label in PaperFormCode.choices
}


def form_order(*, identity: Identity, form_code: str) -> FormOrderReceipt:
    """Order the paper form ``form_code`` by post to the logged-in person's registered address.

    Needs a Swedish personal or coordination number (the caller checks). A form already on its way is not
    ordered again (the receipt says so).
    """
    if identity.personal_number is None:
        raise ValueError("ordering a form needs a Swedish personal or coordination number")
    with transaction.atomic():
        access_record_create(
            principal=identity.principal,
            subject_key=identity.subject_key,
            action=FORM_ORDERED.get(form_code, FORM_ORDERED_WEB),
            purpose=Purpose.SELF_SERVICE,
        )
        return registers().form_order(identity.principal, identity.personal_number, form_code, FormOrderChannel.WEB)
