"""The orders of paper forms: one row per form a person ordered, until it has gone to the printing house."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from backoffice.paper_forms.catalogue import CATALOGUE
from backoffice.register.models import Person


class Channel(models.TextChoices):
    """Where the person ordered the form."""

    PHONE = "phone", _("by phone")
    WEB = "web", _("on the web")


class OrderState(models.TextChoices):
    """Where the order is on its way to the person."""

    WAITING = "waiting", _("waiting for print")
    PRINTED = "printed", _("printed")


class FormOrder(models.Model):
    """A paper form a person ordered, sent by post to their registered address.

    ``print_file`` is the print file the order was given to (set before that file is written, so a run killed
    in between writes the same file again rather than losing the order); ``state`` becomes printed, with
    ``printed_at``, once that file is complete on disk. While an order of a form waits for print, ordering the
    same form again adds nothing (one waiting order per person and form).
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="form_orders")
    form_code = models.CharField(_("form"), max_length=40, choices=[(f.code, f.title_en) for f in CATALOGUE])
    ordered_at = models.DateTimeField(_("ordered"))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    state = models.CharField(_("state"), max_length=8, choices=OrderState.choices, default=OrderState.WAITING)
    print_file = models.CharField(_("print file"), max_length=120, blank=True)
    printed_at = models.DateTimeField(_("printed"), null=True, blank=True)

    class Meta:
        verbose_name = _("form order")
        verbose_name_plural = _("form orders")
        constraints = (
            models.UniqueConstraint(
                fields=("person", "form_code"),
                condition=models.Q(state="waiting"),
                name="form_order_one_waiting_per_form",
            ),
        )

    def __str__(self) -> str:
        return f"{self.person_id}/{self.form_code}/{self.state}"
