"""Writes on form orders: a person orders a paper form by post.

Each call through the registers boundary names its :class:`~backoffice.register.access.Caller` and is
written in one transaction with the back office's access record.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from backoffice.paper_forms.catalogue import BY_CODE
from backoffice.paper_forms.models import Channel, FormOrder, OrderState
from backoffice.register.access import Caller, register_access_record_create
from backoffice.register.selectors import ALIAS, person_get
from backoffice.register.services import InvalidChangeError
from kernel import clock

__all__ = ["form_order"]


def form_order(*, caller: Caller, personal_number: str, form_code: str, channel: str) -> dict[str, object]:
    """Order the paper form ``form_code`` by post for the person, ordered through ``channel`` (phone, web).

    While an order of the same form waits for print, ordering it again adds nothing: the form on its way is
    the one ordered (so a retried request orders once). Returns ``{"ordered": bool, "form": code}``; raises
    :class:`InvalidChangeError` for a code not in the catalogue or an unknown channel, and
    ``PersonNotFoundError``.
    """
    errors = {}
    if form_code not in BY_CODE:
        errors["form"] = "not a form of the catalogue"
    if channel not in Channel.values:
        errors["channel"] = f"one of {', '.join(Channel.values)}"
    if errors:
        raise InvalidChangeError(errors)
    with transaction.atomic(using=ALIAS):
        person = person_get(personal_number)
        register_access_record_create(caller=caller, personal_number=personal_number, action="paper_form.ordered")
        waiting = FormOrder.objects.filter(person=person, form_code=form_code, state=OrderState.WAITING)
        if waiting.exists():
            return {"ordered": False, "form": form_code}
        try:
            with transaction.atomic(using=ALIAS):
                FormOrder.objects.create(person=person, form_code=form_code, ordered_at=clock.now(), channel=channel)
        except IntegrityError:  # the same order, at the same moment, from another request
            return {"ordered": False, "form": form_code}
    return {"ordered": True, "form": form_code}
